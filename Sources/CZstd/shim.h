#ifndef MFTOOL_CZSTD_SHIM_H
#define MFTOOL_CZSTD_SHIM_H
// Zstandard's one-shot compression and decompression (libzstd-dev), for Parquet pages.
#include <zstd.h>
#endif
