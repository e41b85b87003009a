#ifndef GITOPSKIT_CZLIB_SHIM_H
#define GITOPSKIT_CZLIB_SHIM_H
#include <zlib.h>

/* deflateInit2 / inflateInit2 are macros (they pass ZLIB_VERSION and sizeof(z_stream)); Swift needs functions. */
static inline int gok_deflate_init_gzip(z_streamp stream, int level) {
    /* windowBits 15 + 16 = gzip wrapper; memLevel 8 and the default strategy, as Go's compress/gzip. */
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
static inline int gok_inflate_init_gzip(z_streamp stream) {
    /* windowBits 15 + 16 = gzip only (no zlib or raw streams). */
    return inflateInit2(stream, 15 + 16);
}
#endif
