// The portable variant of every kernel (mf_variant.h): clang's vector extensions at the baseline
// instruction set, two doubles or four floats to a vector.
#define MF_VARIANT portable
#define MF_DV mf_d2
#define MF_DW 2
#define MF_DSUM MF_SUM2
#define MF_FV mf_f4
#define MF_FW 4
#define MF_FSUM MF_SUM4
#define MF_SOLVE_LB 4
#define MF_SPMM_MAXV 4
#define MF_DENSE_UB 3
#define MF_DENSE_NV 3
#define MF_VARIANT_AVX512 0
#include "mf_variant.h"
