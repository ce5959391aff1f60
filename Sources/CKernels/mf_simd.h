// Shared by the kernel sources and not part of the module's interface: the x86-64 variant
// attributes, clang's vector types, lane sums in a fixed order, and the dispatch to a variant.
//
// Each kernel is a template (a macro) instantiated for the portable baseline and, on x86-64,
// under target("avx2,fma") and target("avx512f,..."), with vector types sized to each
// instruction set. Within a variant the arithmetic order is fixed, so results do not depend on
// threads.
#ifndef MFTOOL_CKERNELS_SIMD_H
#define MFTOOL_CKERNELS_SIMD_H

#include "mf_isa.h"

#if defined(__x86_64__) && defined(__clang__)
#define MF_HAVE_X86_VARIANTS 1
#define MF_AVX2 __attribute__((target("avx2,fma")))
#define MF_AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,avx2,fma")))
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

// `isa` as asked, or the best variant this CPU supports when it asks for more (or is negative).
static inline int mf_clamp_isa(int isa) {
    int best = mf_kernel_best_isa();
    return isa < 0 || isa > best ? best : isa;
}

// The body of a dispatching function: the variant `isa` (clamped) of NAME, called with the
// arguments given.
#if MF_HAVE_X86_VARIANTS
#define MF_DISPATCH(NAME, ...)                                                                    \
    switch (mf_clamp_isa(isa)) {                                                                    \
    case MF_ISA_AVX512: return NAME##_avx512(__VA_ARGS__);                                        \
    case MF_ISA_AVX2: return NAME##_avx2(__VA_ARGS__);                                            \
    default: return NAME##_portable(__VA_ARGS__);                                                 \
    }
#else
#define MF_DISPATCH(NAME, ...) return NAME##_portable(__VA_ARGS__);
#endif

#endif
