// Not part of the module's interface: the kernels of one instruction-set variant as a table of
// function pointers, and the table a call uses. Each variant_*.c file compiles every body in
// bodies/ for its variant and defines its table; the public functions (ridge_kernels.c and the
// other area files) call through mf_kernels(isa).
#ifndef MFTOOL_CKERNELS_KERNELS_H
#define MFTOOL_CKERNELS_KERNELS_H

#include <stdint.h>

// Exact dot products of one row with chosen rows of V (mf_row_dots, the quantized rescoring).
typedef void mf_dot_rows_d_fn(int w, const double *x, const double *V, int ldv, const int32_t *items, int count,
                              double *out);
typedef void mf_dot_rows_s_fn(int w, const float *x, const float *V, int ldv, const int32_t *items, int count,
                              double *out);

struct mf_kernel_table {
    // The ridge solve (mf_ridge.h), without the `isa` argument.
    void (*gather_d)(int k, int kp, int count, const double *V, const int32_t *idx, const double *gw,
                     const double *rw, double *X, double *Y, double *b);
    void (*gather_s)(int k, int kp, int count, const float *V, const int32_t *idx, const double *gw,
                     const double *rw, float *X, float *Y, double *b);
    void (*gram_d)(int kp, int ldx, int count, const double *X, const double *Y, const double *B, double *A);
    void (*gram_s)(int kp, int ldx, int count, const float *X, const float *Y, const float *B, float *A);
    int (*cholesky_d)(int k, int lda, double *A, double threshold, double *inverse);
    int (*cholesky_s)(int k, int lda, float *A, float threshold, float *inverse);
    void (*solve_d)(int k, int lda, const double *U, const double *inverse, double *b);
    void (*solve_s)(int k, int lda, const float *U, const float *inverse, float *b);
    void (*solve_many_d)(int k, int lda, const double *U, const double *inverse, int count, double *B, int ldb,
                         double *work);
    void (*solve_many_s)(int k, int lda, const float *U, const float *inverse, int count, float *B, int ldb,
                         float *work);
    // Products with the item matrix (mf_products.h).
    void (*spmm_d)(int rows, int k, int ldv, const int64_t *indptr, const int32_t *indices, const double *values,
                   const double *V, double *B, int ldb);
    void (*spmm_s)(int rows, int k, int ldv, const int64_t *indptr, const int32_t *indices, const double *values,
                   const float *V, float *B, int ldb);
    void (*dense_mm_d)(int rows, int n, int k, const double *D, int ldd, const double *V, int ldv, double *B, int ldb);
    void (*dense_mm_s)(int rows, int n, int k, const double *D, int ldd, const float *V, int ldv, float *B, int ldb);
    mf_dot_rows_d_fn *dot_rows_d;
    mf_dot_rows_s_fn *dot_rows_s;
    // Ranking (mf_ranking.h); kth_largest is NULL where the variant has none (the callers keep
    // their heap).
    int (*topk_insert)(double *scores, int64_t *items, int count, int capacity, double score, int64_t item);
    int (*kth_largest_d)(const double *v, long n, int k, double *out);
    int (*kth_largest_s)(const float *v, long n, int k, float *out);
    // Gradient training (mf_training.h).
    void (*adam)(long count, double *x, const double *g, double *m, double *v, double decay, double beta1,
                 double beta2, double epsilon, double stepSize, double root2);
    void (*sparse_adam)(int w, long count, const int32_t *rows, double *x, const double *g, double *m, double *v,
                        double beta1, double beta2, double epsilon, double stepSize);
    double (*batch_gradient)(int w, int regularized, long count, const int64_t *order, const int32_t *rows,
                             const int32_t *cols, const double *targets, const double *shares, const double *X,
                             const double *V, double scale, double *G);
};

// The tables of the variants (variant_*.c); those of x86-64 only where MF_HAVE_X86_VARIANTS.
extern const struct mf_kernel_table mf_kernels_portable, mf_kernels_avx2, mf_kernels_avx512;

// The portable dot products, which the AVX2 variant uses too (variant_portable.c).
mf_dot_rows_d_fn mf_dot_rows_d_portable;
mf_dot_rows_s_fn mf_dot_rows_s_portable;

// The table of variant `isa`, or of the best variant this CPU supports when `isa` asks for more
// (or is negative). The choice for each `isa` is made once per process (isa.c).
const struct mf_kernel_table *mf_kernels(int isa);

#endif
