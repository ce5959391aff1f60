// The per-user ridge solve: gathering a user's item rows, the weighted Gram accumulation, and a
// small dense Cholesky factorization and solve (for one right-hand side or many).
//
// A symmetric matrix is stored in its upper triangle, row-major. `isa` names the variant
// (mf_isa.h).
#ifndef MFTOOL_CKERNELS_RIDGE_H
#define MFTOOL_CKERNELS_RIDGE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// X[t] = V[idx[t]] (k values, zero-padded to kp); when Y is not NULL, Y[t] = gw[t]·X[t];
/// when rw is not NULL, b[c] += rw[t]·V[idx[t]][c], accumulated in double.
void mf_gather_d(int isa, int k, int kp, int count, const double *V, const int32_t *idx, const double *gw,
                 const double *rw, double *X, double *Y, double *b);
void mf_gather_s(int isa, int k, int kp, int count, const float *V, const int32_t *idx, const double *gw,
                 const double *rw, float *X, float *Y, double *b);

/// A[i][j] = B[i][j] + Σ_t Y[t][i]·X[t][j] for i, j < ldx, j ≥ i (the upper triangle and a
/// little beyond, row-major, leading dimension kp); Y = NULL means Y = X, B = NULL means zero.
/// X's and Y's rows are ldx apart, with ldx = kp (from mf_kernel_padding) or the shorter
/// mf_kernel_vector_padding; A's entries with i or j ≥ ldx are not written.
void mf_gram_d(int isa, int kp, int ldx, int count, const double *X, const double *Y, const double *B, double *A);
void mf_gram_s(int isa, int kp, int ldx, int count, const float *X, const float *Y, const float *B, float *A);

/// In-place Cholesky A = UᵀU of the k × k upper triangle (leading dimension lda, a multiple of
/// the variant's vector width: mf_kernel_padding's value is). Returns 0, or
/// c + 1 when pivot c (the squared diagonal of U) is not above `threshold`. `inverse` receives the
/// k reciprocals of U's diagonal.
int mf_cholesky_d(int isa, int k, int lda, double *A, double threshold, double *inverse);
int mf_cholesky_s(int isa, int k, int lda, float *A, float threshold, float *inverse);

/// Solves UᵀU x = b in place with the factor and reciprocals from mf_cholesky; b must hold
/// mf_kernel_padding(k) entries, zero beyond k.
void mf_cholesky_solve_d(int isa, int k, int lda, const double *U, const double *inverse, double *b);
void mf_cholesky_solve_s(int isa, int k, int lda, const float *U, const float *inverse, float *b);

/// mf_cholesky_solve for `count` rows of B (row r at B + r·ldb, k entries used) at once, two
/// vectors' width of rows per pass. `work` holds 32·k elements.
void mf_cholesky_solve_many_d(int isa, int k, int lda, const double *U, const double *inverse, int count, double *B, int ldb,
                              double *work);
void mf_cholesky_solve_many_s(int isa, int k, int lda, const float *U, const float *inverse, int count, float *B, int ldb,
                              float *work);

#ifdef __cplusplus
}
#endif

#endif
