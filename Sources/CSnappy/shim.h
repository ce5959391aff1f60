#ifndef MFTOOL_CSNAPPY_SHIM_H
#define MFTOOL_CSNAPPY_SHIM_H
// Snappy's C interface (libsnappy-dev), for Parquet pages compressed with SNAPPY.
#include <snappy-c.h>
#endif
