// mftool's own SIMD kernels for the per-user ridge solve: gathering a user's item rows,
// the weighted Gram accumulation, and a small dense Cholesky factorization and solve.
//
// Matrices are row-major; a symmetric matrix is stored in its upper triangle. Every function has
// portable, AVX2+FMA and AVX-512 variants compiled from one source; each call names the variant
// (`isa`, at most mf_kernel_best_isa(): the caller picks once per solve).
#ifndef MFTOOL_CKERNELS_H
#define MFTOOL_CKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction sets the kernels have variants for.
enum { MF_ISA_PORTABLE = 0, MF_ISA_AVX2 = 1, MF_ISA_AVX512 = 2 };

/// The best variant this CPU supports.
int mf_kernel_best_isa(void);
/// The padded row length the Gram kernel of variant `isa` needs for k columns (a multiple of
/// its tile width).
int mf_kernel_padding(int isa, int k, int single);

/// X[t] = V[idx[t]] (k values, zero-padded to kp); when Y is not NULL, Y[t] = gw[t]·X[t];
/// when rw is not NULL, b[c] += rw[t]·V[idx[t]][c], accumulated in double.
void mf_gather_d(int isa, int k, int kp, int count, const double *V, const int32_t *idx, const double *gw,
                 const double *rw, double *X, double *Y, double *b);
void mf_gather_s(int isa, int k, int kp, int count, const float *V, const int32_t *idx, const double *gw,
                 const double *rw, float *X, float *Y, double *b);

/// A[i][j] = B[i][j] + Σ_t Y[t][i]·X[t][j] for j ≥ i (the upper triangle and a little beyond,
/// row-major, leading dimension kp); Y = NULL means Y = X, B = NULL means zero. kp must come
/// from mf_kernel_padding.
void mf_gram_d(int isa, int kp, int count, const double *X, const double *Y, const double *B, double *A);
void mf_gram_s(int isa, int kp, int count, const float *X, const float *Y, const float *B, float *A);

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

#ifdef __cplusplus
}
#endif

#endif
