// The AVX-512 variant of every kernel (mf_variant.h): eight doubles or sixteen floats to a
// vector, every function compiled under target("avx512f,avx512vl,avx512dq,avx2,fma"), with its
// own row dot products and k-th largest value (bodies/avx512_ranking.h).
#include "mf_kernels.h"
#include "mf_simd.h"

#if MF_HAVE_X86_VARIANTS
// The headers come before the target attribute is pushed, so that their declarations get none.
#include <immintrin.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MF_VARIANT avx512
#define MF_DV mf_d8
#define MF_DW 8
#define MF_DSUM MF_SUM8
#define MF_FV mf_f16
#define MF_FW 16
#define MF_FSUM MF_SUM16
#define MF_SOLVE_LB 8
#define MF_SPMM_MAXV 8
#define MF_DENSE_UB 6
#define MF_DENSE_NV 4
#define MF_VARIANT_AVX512 1
#define MF_KTH_BUFFER 512
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512dq,avx2,fma"))), apply_to = function)
#include "mf_variant.h"
#pragma clang attribute pop
#endif
