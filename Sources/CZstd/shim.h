#ifndef MFTOOL_CZSTD_SHIM_H
#define MFTOOL_CZSTD_SHIM_H
// Zstandard's one-shot decompression (libzstd-dev), for Parquet pages compressed with ZSTD.
#include <zstd.h>
#endif
