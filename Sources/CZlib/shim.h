#ifndef MFTOOL_CZLIB_SHIM_H
#define MFTOOL_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot import: a raw deflate stream (no zlib header, as
// in a zip member) is started through this getter instead.
static inline int czlib_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}

// A gzip stream (a Parquet page compressed with GZIP): window bits 16 + MAX_WBITS take the gzip
// header and trailer, whose CRC-32 zlib checks.
static inline int czlib_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}
#endif
