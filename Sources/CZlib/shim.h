#ifndef MFTOOL_CZLIB_SHIM_H
#define MFTOOL_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot import: a raw deflate stream (no zlib header, as
// in a zip member) is started through this getter instead.
static inline int czlib_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}
#endif
