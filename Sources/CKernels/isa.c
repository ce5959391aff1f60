// The variant this CPU supports, the table each `isa` calls through (mf_kernels.h), and the
// padded row lengths of each variant (include/mf_isa.h).
#include "mf_kernels.h"
#include "mf_simd.h"

#include <pthread.h>

static int mf_supported_isa(void) {
#if MF_HAVE_X86_VARIANTS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        return MF_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return MF_ISA_AVX2;
#endif
    return MF_ISA_PORTABLE;
}

// Chosen once per process: the best variant, and for each isa the table of
// min(isa, best); a negative or larger isa means the best.
static pthread_once_t mf_once = PTHREAD_ONCE_INIT;
static int mf_best;
static const struct mf_kernel_table *mf_chosen[3];

static void mf_choose(void) {
#if MF_HAVE_X86_VARIANTS
    static const struct mf_kernel_table *const variants[3] = {&mf_kernels_portable, &mf_kernels_avx2,
                                                              &mf_kernels_avx512};
#else
    static const struct mf_kernel_table *const variants[1] = {&mf_kernels_portable};
#endif
    mf_best = mf_supported_isa();
    for (int isa = 0; isa < 3; isa++) mf_chosen[isa] = variants[isa < mf_best ? isa : mf_best];
}

int mf_kernel_best_isa(void) {
    pthread_once(&mf_once, mf_choose);
    return mf_best;
}

const struct mf_kernel_table *mf_kernels(int isa) {
    pthread_once(&mf_once, mf_choose);
    return mf_chosen[isa < 0 || isa > 2 ? 2 : isa];
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
