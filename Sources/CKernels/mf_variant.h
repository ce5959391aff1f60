// Not part of the module's interface: every kernel body of bodies/ compiled for one variant,
// for doubles and for floats, and the variant's table of function pointers (mf_kernels.h).
//
// A body file (bodies/*.h) is the plain C of one or more kernels, with no include guard: it is
// included once per variant and element type, and compiled nowhere else. Before each inclusion
// the including file defines
//
//   T                           the element type (double)
//   VT, VW                      the variant's vector type of T and its lane count (mf_d4, 4)
//   SUM(v)                      the lanes of a VT added in a fixed tree order (MF_SUM4)
//   MF_FN(name)                 the function's name for this variant and type (gram_d_avx2)
//
// plus the tuning constants a body names (its comment lists them). The functions are static,
// so each variant's copy stays in its own translation unit, under its own target attribute.
// (scans.h, dot_rows.h and rescore.h are bodies with one variant for every CPU, included per
// element type by ranking_kernels.c and quantized_kernels.c.)
//
// This file is included once, by the variant's own file (variant_portable.c, variant_avx2.c,
// variant_avx512.c), which defines first:
//
//   MF_VARIANT                  the variant's name, the suffix of its functions (avx2)
//   MF_DV, MF_DW, MF_DSUM       the double vector type, its lanes and its lane sum
//   MF_FV, MF_FW, MF_FSUM       the same for float
//   MF_SOLVE_LB                 the register block of the many-right-hand-side solve
//   MF_SPMM_MAXV                the vectors of B a sparse product row accumulates per pass
//   MF_DENSE_UB, MF_DENSE_NV    the rows and vectors of a dense product's register tile
//   MF_VARIANT_AVX512           1 for the variant with its own AVX-512 ranking kernels
//                               (and MF_KTH_BUFFER, their candidate buffer)
//
// and, for the x86-64 variants, wraps the inclusion in its `target` attribute
// (#pragma clang attribute push), after including the headers below itself so that their
// declarations get no target attribute.
#include "mf_kernels.h"
#include "mf_simd.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MF_D(name) MF_CAT3(name, _d_, MF_VARIANT)
#define MF_S(name) MF_CAT3(name, _s_, MF_VARIANT)

// MARK: Doubles

#define T double
#define VT MF_DV
#define VW MF_DW
#define SUM(v) MF_DSUM(v)
#define SQRT sqrt
#define MF_FN MF_D
#include "bodies/gather.h"
#include "bodies/gram.h"
#include "bodies/cholesky.h"
#include "bodies/solve.h"
#include "bodies/solve_many.h"
#include "bodies/spmm.h"
#include "bodies/dense_mm.h"
#include "bodies/adam.h"
#include "bodies/batch_gradient.h"
#include "bodies/topk_insert.h"
#if MF_VARIANT_AVX512
#define MF_512 __m512d
#define MF_512_MASK __mmask8
#define MF_512_SETZERO _mm512_setzero_pd
#define MF_512_SET1 _mm512_set1_pd
#define MF_512_LOADU _mm512_loadu_pd
#define MF_512_MASKZ_LOADU _mm512_maskz_loadu_pd
#define MF_512_FMADD _mm512_fmadd_pd
#define MF_512_REDUCE_ADD _mm512_reduce_add_pd
#define MF_512_MAX _mm512_max_pd
#define MF_512_CMP _mm512_cmp_pd_mask
#define MF_512_REDUCE_MAX _mm512_reduce_max_pd
#define MF_512_MASKZ_COMPRESS _mm512_maskz_compress_pd
#define MF_512_STOREU _mm512_storeu_pd
#include "bodies/avx512_ranking.h"
#endif
#undef T
#undef VT
#undef VW
#undef SUM
#undef SQRT
#undef MF_FN

// MARK: Floats

#define T float
#define VT MF_FV
#define VW MF_FW
#define SUM(v) MF_FSUM(v)
#define SQRT sqrtf
#define MF_FN MF_S
#include "bodies/gather.h"
#include "bodies/gram.h"
#include "bodies/cholesky.h"
#include "bodies/solve.h"
#include "bodies/solve_many.h"
#include "bodies/spmm.h"
#include "bodies/dense_mm.h"
#if MF_VARIANT_AVX512
#define MF_512 __m512
#define MF_512_MASK __mmask16
#define MF_512_SETZERO _mm512_setzero_ps
#define MF_512_SET1 _mm512_set1_ps
#define MF_512_LOADU _mm512_loadu_ps
#define MF_512_MASKZ_LOADU _mm512_maskz_loadu_ps
#define MF_512_FMADD _mm512_fmadd_ps
#define MF_512_REDUCE_ADD _mm512_reduce_add_ps
#define MF_512_MAX _mm512_max_ps
#define MF_512_CMP _mm512_cmp_ps_mask
#define MF_512_REDUCE_MAX _mm512_reduce_max_ps
#define MF_512_MASKZ_COMPRESS _mm512_maskz_compress_ps
#define MF_512_STOREU _mm512_storeu_ps
#include "bodies/avx512_ranking.h"
#endif
#undef T
#undef VT
#undef VW
#undef SUM
#undef SQRT
#undef MF_FN

// MARK: The table

const struct mf_kernel_table MF_CAT3(mf_kernels, _, MF_VARIANT) = {
    .gather_d = MF_D(gather), .gather_s = MF_S(gather),
    .gram_d = MF_D(gram), .gram_s = MF_S(gram),
    .cholesky_d = MF_D(cholesky), .cholesky_s = MF_S(cholesky),
    .solve_d = MF_D(solve), .solve_s = MF_S(solve),
    .solve_many_d = MF_D(solve_many), .solve_many_s = MF_S(solve_many),
    .spmm_d = MF_D(spmm), .spmm_s = MF_S(spmm),
    .dense_mm_d = MF_D(dense_mm), .dense_mm_s = MF_S(dense_mm),
#if MF_VARIANT_AVX512
    .dot_rows_d = MF_D(dot_rows), .dot_rows_s = MF_S(dot_rows),
    .kth_largest_d = MF_D(kth_largest), .kth_largest_s = MF_S(kth_largest),
#else
    .dot_rows_d = mf_dot_rows_d_portable, .dot_rows_s = mf_dot_rows_s_portable,
    .kth_largest_d = NULL, .kth_largest_s = NULL,
#endif
    .topk_insert = MF_D(topk_insert),
    .adam = MF_D(adam), .sparse_adam = MF_D(sparse_adam), .batch_gradient = MF_D(batch_gradient),
};

#undef MF_D
#undef MF_S
