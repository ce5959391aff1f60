// Shared by the kernel sources and not part of the module's interface: the x86-64 variant
// attributes, clang's vector types, lane sums in a fixed order, and the names of a variant's
// functions.
//
// Each kernel is a plain function body in bodies/, compiled once per variant (variant_*.c) and
// per element type, with vector types sized to the variant's instruction set. Within a variant
// the arithmetic order is fixed, so results do not depend on threads.
#ifndef MFTOOL_CKERNELS_SIMD_H
#define MFTOOL_CKERNELS_SIMD_H

#include "mf_isa.h"

#include <stddef.h>

#if defined(__x86_64__) && defined(__clang__)
#define MF_HAVE_X86_VARIANTS 1
#else
#define MF_HAVE_X86_VARIANTS 0
#endif

// Vector types: aligned to their element only, so loads from any row are valid.
typedef double mf_d2 __attribute__((ext_vector_type(2), aligned(8)));
typedef double mf_d4 __attribute__((ext_vector_type(4), aligned(8)));
typedef double mf_d8 __attribute__((ext_vector_type(8), aligned(8)));
typedef float mf_f4 __attribute__((ext_vector_type(4), aligned(4)));
typedef float mf_f8 __attribute__((ext_vector_type(8), aligned(4)));
typedef float mf_f16 __attribute__((ext_vector_type(16), aligned(4)));

// Sums of vector lanes in a fixed tree order (halves added until one lane is left).
#define MF_SUM2(v) ({ __typeof__(v) v2_ = (v); v2_[0] + v2_[1]; })
#define MF_SUM4(v) ({ __typeof__(v) v4_ = (v); MF_SUM2(v4_.lo + v4_.hi); })
#define MF_SUM8(v) ({ __typeof__(v) v8_ = (v); MF_SUM4(v8_.lo + v8_.hi); })
#define MF_SUM16(v) ({ __typeof__(v) v16_ = (v); MF_SUM8(v16_.lo + v16_.hi); })

// Token pasting after expansion: MF_CAT3(gram, _d_, avx2) is gram_d_avx2.
#define MF_CAT3_(a, b, c) a##b##c
#define MF_CAT3(a, b, c) MF_CAT3_(a, b, c)

// A helper the compiler must inline, so that its constant arguments (tile shapes, block sizes)
// become constants of the loop it sits in.
#define MF_INLINE static inline __attribute__((always_inline))

// Fetches a row into cache, a line at a time.
static inline void mf_prefetch_row(const void *row, size_t bytes) {
    for (size_t b = 0; b < bytes; b += 64) __builtin_prefetch((const char *)row + b);
}

// `isa` as asked, or the best variant this CPU supports when it asks for more (or is negative).
static inline int mf_clamp_isa(int isa) {
    int best = mf_kernel_best_isa();
    return isa < 0 || isa > best ? best : isa;
}

#endif
