// The per-user ridge solve's kernels (include/mf_ridge.h): gather, Gram, Cholesky and the
// solves, each a call through the table of the variant asked for (mf_kernels.h). The bodies are
// bodies/gather.h, gram.h, cholesky.h, solve.h and solve_many.h.
#include "mf_kernels.h"
#include "mf_ridge.h"

void mf_gather_d(int isa, int k, int kp, int count, const double *V, const int32_t *idx, const double *gw,
                 const double *rw, double *X, double *Y, double *b) {
    mf_kernels(isa)->gather_d(k, kp, count, V, idx, gw, rw, X, Y, b);
}
void mf_gather_s(int isa, int k, int kp, int count, const float *V, const int32_t *idx, const double *gw,
                 const double *rw, float *X, float *Y, double *b) {
    mf_kernels(isa)->gather_s(k, kp, count, V, idx, gw, rw, X, Y, b);
}
void mf_gram_d(int isa, int kp, int ldx, int count, const double *X, const double *Y, const double *B, double *A) {
    mf_kernels(isa)->gram_d(kp, ldx, count, X, Y, B, A);
}
void mf_gram_s(int isa, int kp, int ldx, int count, const float *X, const float *Y, const float *B, float *A) {
    mf_kernels(isa)->gram_s(kp, ldx, count, X, Y, B, A);
}
int mf_cholesky_d(int isa, int k, int lda, double *A, double threshold, double *inverse) {
    return mf_kernels(isa)->cholesky_d(k, lda, A, threshold, inverse);
}
int mf_cholesky_s(int isa, int k, int lda, float *A, float threshold, float *inverse) {
    return mf_kernels(isa)->cholesky_s(k, lda, A, threshold, inverse);
}
void mf_cholesky_solve_d(int isa, int k, int lda, const double *U, const double *inverse, double *b) {
    mf_kernels(isa)->solve_d(k, lda, U, inverse, b);
}
void mf_cholesky_solve_s(int isa, int k, int lda, const float *U, const float *inverse, float *b) {
    mf_kernels(isa)->solve_s(k, lda, U, inverse, b);
}
void mf_cholesky_solve_many_d(int isa, int k, int lda, const double *U, const double *inverse, int count, double *B, int ldb,
                              double *work) {
    mf_kernels(isa)->solve_many_d(k, lda, U, inverse, count, B, ldb, work);
}
void mf_cholesky_solve_many_s(int isa, int k, int lda, const float *U, const float *inverse, int count, float *B, int ldb,
                              float *work) {
    mf_kernels(isa)->solve_many_s(k, lda, U, inverse, count, B, ldb, work);
}
