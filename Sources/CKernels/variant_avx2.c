// The AVX2+FMA variant of every kernel (mf_variant.h): four doubles or eight floats to a vector,
// every function compiled under target("avx2,fma"). Its row dot products are the portable ones.
#include "mf_kernels.h"
#include "mf_simd.h"

#if MF_HAVE_X86_VARIANTS
// The headers come before the target attribute is pushed, so that their declarations get none.
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MF_VARIANT avx2
#define MF_DV mf_d4
#define MF_DW 4
#define MF_DSUM MF_SUM4
#define MF_FV mf_f8
#define MF_FW 8
#define MF_FSUM MF_SUM8
#define MF_SOLVE_LB 4
#define MF_SPMM_MAXV 6
#define MF_DENSE_UB 3
#define MF_DENSE_NV 3
#define MF_VARIANT_AVX512 0
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#include "mf_variant.h"
#pragma clang attribute pop
#endif
