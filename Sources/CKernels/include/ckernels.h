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

/// k rounded up to whole vectors of the variant and to a multiple of 8: the shortest leading
/// dimension mf_spmm and mf_dense_mm accept (they read V's rows a vector at a time and need no
/// tiles of rows), and the shortest row length (ldx) mf_gram accepts.
int mf_kernel_vector_padding(int isa, int k, int single);

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

/// B[u][0..<k] = Σ_p values[p]·V[indices[p]][0..<k] over CSR row u (rows 0..<rows; indptr as
/// given, not rebased). V's and B's leading dimensions must be multiples of the variant's vector
/// width covering k (mf_kernel_padding's value is), with V zero beyond k.
void mf_spmm_d(int isa, int rows, int k, int ldv, const int64_t *indptr, const int32_t *indices, const double *values,
               const double *V, double *B, int ldb);
void mf_spmm_s(int isa, int rows, int k, int ldv, const int64_t *indptr, const int32_t *indices, const double *values,
               const float *V, float *B, int ldb);

/// B[r][0..<k] = Σ_i D[r][i]·V[i][0..<k] for `rows` dense rows of D (row r at D + r·ldd, n
/// entries): the dense counterpart of mf_spmm for rows with most items present. Same padding
/// rules for V and B.
void mf_dense_mm_d(int isa, int rows, int n, int k, const double *D, int ldd, const double *V, int ldv, double *B, int ldb);
void mf_dense_mm_s(int isa, int rows, int n, int k, const double *D, int ldd, const float *V, int ldv, float *B, int ldb);

/// out[i] = V[i][0..<k] zero-padded to kp entries, for `count` rows of V (leading dimension ldv).
void mf_pack_rows_d(int k, int kp, int count, const double *V, int ldv, double *out);
void mf_pack_rows_s(int k, int kp, int count, const float *V, int ldv, float *out);

/// mf_cholesky_solve for `count` rows of B (row r at B + r·ldb, k entries used) at once, two
/// vectors' width of rows per pass. `work` holds 32·k elements.
void mf_cholesky_solve_many_d(int isa, int k, int lda, const double *U, const double *inverse, int count, double *B, int ldb,
                              double *work);
void mf_cholesky_solve_many_s(int isa, int k, int lda, const float *U, const float *inverse, int count, float *B, int ldb,
                              float *work);

/// The first index i < n with s[i] >= t (n when none), and the last (−1 when none): the
/// candidates a top-K selection must look at once its heap is full.
long mf_first_at_least_d(const double *s, long n, double t);
long mf_last_at_least_d(const double *s, long n, double t);
long mf_first_at_least_s(const float *s, long n, float t);
long mf_last_at_least_s(const float *s, long n, float t);

/// The k-th largest of v[0..<n] (counting repeats) in *out, returning 1; or 0 when this CPU,
/// the shape (k > 64, n < 16k) or the values (NaN, too many near the top) call for a heap.
int mf_kth_largest_d(const double *v, long n, int k, double *out);
int mf_kth_largest_s(const float *v, long n, int k, float *out);

/// Offers (score, item) to the `count` pairs kept sorted best first (score descending, ties by
/// item ascending), at most `capacity` of them; returns the new count.
int mf_topk_insert(int isa, double *scores, int64_t *items, int count, int capacity, double score, int64_t item);

/// PyTorch's Adam step on `count` parameters (torch.optim.Adam's formula, no fused multiply-adds):
/// d = g + decay·x; m = β1·m + (1−β1)·d; v = β2·v + (1−β2)·d²; x −= stepSize·m / (√v / root2 + ε).
void mf_adam_step(int isa, long count, double *x, const double *g, double *m, double *v, double decay,
                  double beta1, double beta2, double epsilon, double stepSize, double root2);

/// The observed loss of one mini-batch (entries order[0..<count]) and its gradient added to G:
/// e = t_p − x_u·v_j; loss += e² + s_p‖x_u‖² (components below `regularized`); g_u += −2·scale·e·v_j
/// + 2·scale·s_p·x_u (the components past `regularized`, a user bias, without the penalty).
double mf_batch_gradient(int isa, int w, int regularized, long count, const int64_t *order, const int32_t *rows,
                         const int32_t *cols, const double *targets, const double *shares, const double *X,
                         const double *V, double scale, double *G);

/// Whether mf_i8_candidates has a fast variant on this CPU (AVX-512 VNNI).
int mf_i8_fast(void);

/// Packs n rows of w values (row-major, leading dimension ldv) as bytes round(v·inverseScale)
/// (clamped to ±127) plus 128, in groups of 16 items: group g's word c (values 4c..<4c+4 of
/// each item) is the 64 bytes at (g·k4 + c)·64. Items from n to 16·groups and values from w to
/// 4·k4 are zero (byte 128).
void mf_i8_pack_items(int n, int w, const double *V, int ldv, double inverseScale, int k4, int groups,
                      uint8_t *packed);

/// Quantizes each row to signed bytes q = round(x/scale[r]) with scale[r] = max|x|/127 (1 for a
/// zero row), 4·k4 bytes per row (zero beyond w); sum[r] = Σ q.
void mf_i8_quantize_rows(int rows, int w, const double *X, int ldx, int k4, int8_t *q, double *scale,
                         int32_t *sum);

/// For users r < nu (4·k4 signed bytes each at x) and the packed items of groups g0..<g1: when
/// Σ x_r·packed_i (packed bytes as unsigned) reaches thr[r], appends i to row r's candidates
/// (cand + r·stride, items ascending) while counts[r] < cap; counts[r] counts on past cap, which
/// flags an overflow. stride must be at least cap + 16. `fast` = 0 forces the portable variant.
void mf_i8_candidates(int fast, int k4, int nu, const int8_t *x, const uint8_t *packed, int g0, int g1,
                      const int32_t *thr, int32_t *cand, int stride, int cap, int32_t *counts);

/// For each user r < nu of a block whose floor is above −∞, whose candidates did not
/// overflow (counts[r] ≤ cap) and who has new ones past done[r]: row r of X (w values), its
/// candidates at cand + r·stride, its training row at train + trainStart[r] (trainCount[r]
/// entries; train may be NULL), its kept pairs at r·cap of scores/items: keeps the new
/// candidates below n and not in the training row, scores them as X[r]·V[i] + bias[i] (bias
/// may be NULL; the same summation order for every item) and appends those at or above
/// floors[r]. done[r], trainAt[r] and kept[r] advance.
void mf_rescore_block_d(int isa, int nu, int w, const double *X, const double *V, const double *bias, int n, int32_t *cand,
                        int stride, const int32_t *counts, int cap, int32_t *done, const int32_t *train,
                        const int64_t *trainStart, const int32_t *trainCount, int32_t *trainAt, const double *floors,
                        double *scores, int32_t *items, int32_t *kept);
void mf_rescore_block_s(int isa, int nu, int w, const float *X, const float *V, const float *bias, int n, int32_t *cand,
                        int stride, const int32_t *counts, int cap, int32_t *done, const int32_t *train,
                        const int64_t *trainStart, const int32_t *trainCount, int32_t *trainAt, const float *floors,
                        double *scores, int32_t *items, int32_t *kept);

/// out[t] = x·V[items[t]] over w values (rows of V at leading dimension ldv), the same summation
/// order for every row; rows are prefetched ahead.
void mf_row_dots_d(int isa, int w, const double *x, const double *V, int ldv, const int32_t *items, int count,
                   double *out);

/// Reorders the `count` (score, item) pairs so that the best k (score descending, ties by item
/// ascending) come first, in no particular order; returns min(k, count).
int mf_select_best(double *scores, int32_t *items, int count, int k);
/// mf_select_best, then the best min(k, count) sorted best first.
int mf_sorted_best(double *scores, int32_t *items, int count, int k);

/// The CPU the calling thread runs on, or -1 where unknown.
int mf_current_cpu(void);
/// How many CPUs the calling thread may run on, or -1 where unknown.
int mf_allowed_cpus(void);
/// When the calling thread runs on `cpu` and may run elsewhere, restricts it to its other
/// allowed CPUs (the scheduler moves it at once) and returns 1; otherwise returns 0. A helper
/// thread woken onto the CPU of the thread that woke it, which keeps that CPU busy, would wait
/// for it for milliseconds (until the load balancer runs) while another CPU idles.
int mf_avoid_cpu(int cpu);
/// Restores the calling thread's CPUs as they were before mf_avoid_cpu moved it.
void mf_restore_cpus(void);

#ifdef __cplusplus
}
#endif

#endif
