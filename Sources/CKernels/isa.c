// The variant this CPU supports and the padded row lengths of each variant (include/mf_isa.h).
#include "mf_simd.h"

static int mf_supported_isa(void) {
#if MF_HAVE_X86_VARIANTS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        return MF_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return MF_ISA_AVX2;
#endif
    return MF_ISA_PORTABLE;
}

int mf_kernel_best_isa(void) {
    static _Atomic int best = -1;
    int isa = best;
    if (isa < 0) best = isa = mf_supported_isa();
    return isa;
}

int mf_kernel_padding(int isa, int k, int single) {
    static const int width[3][2] = {{4, 8}, {8, 16}, {16, 32}};  // 2 vectors: double, float
    int tile = width[mf_clamp_isa(isa)][single ? 1 : 0];
    if (tile < 8) tile = 8;  // rows come in tiles of 8 too
    return (k + tile - 1) / tile * tile;
}

int mf_kernel_vector_padding(int isa, int k, int single) {
    static const int width[3][2] = {{2, 4}, {4, 8}, {8, 16}};  // one vector: double, float
    int vw = width[mf_clamp_isa(isa)][single ? 1 : 0];
    if (vw < 8) vw = 8;  // the Gram kernel's tiles of 8 rows
    return (k + vw - 1) / vw * vw;
}
