// The per-user ridge solve's kernels (include/mf_ridge.h): gather, Gram, Cholesky and the
// solves, instantiated for each variant (mf_simd.h).
#include "mf_ridge.h"
#include "mf_simd.h"

#include <math.h>
#include <stddef.h>

// MARK: Templates

// Gather: rows of V into a padded buffer, optionally scaled copies, and the right-hand side.
// The rows are random reads from a matrix larger than L2: each one is prefetched
// MF_GATHER_AHEAD rows before it is copied.
#define MF_GATHER_AHEAD 6
#define MF_GATHER(NAME, T, ATTR)                                                                  \
    ATTR static void NAME(int k, int kp, int count, const T *restrict V, const int32_t *restrict idx, \
                          const double *restrict gw, const double *restrict rw, T *restrict X,   \
                          T *restrict Y, double *restrict b) {                                    \
        const size_t rowBytes = (size_t)k * sizeof(T);                                            \
        for (int t = 0; t < count; t++) {                                                         \
            if (t + MF_GATHER_AHEAD < count) {                                                    \
                const char *ahead = (const char *)(V + (size_t)idx[t + MF_GATHER_AHEAD] * (size_t)k); \
                for (size_t o = 0; o < rowBytes; o += 64) __builtin_prefetch(ahead + o);          \
            }                                                                                     \
            const T *restrict v = V + (size_t)idx[t] * (size_t)k;                                 \
            T *restrict x = X + (size_t)t * (size_t)kp;                                           \
            for (int c = 0; c < k; c++) x[c] = v[c];                                              \
            for (int c = k; c < kp; c++) x[c] = 0;                                                \
            if (Y) {                                                                              \
                T *restrict y = Y + (size_t)t * (size_t)kp;                                       \
                const T s = (T)gw[t];                                                             \
                for (int c = 0; c < k; c++) y[c] = s * v[c];                                      \
                for (int c = k; c < kp; c++) y[c] = 0;                                            \
            }                                                                                     \
            if (rw) {                                                                             \
                const double r = rw[t];                                                           \
                for (int c = 0; c < k; c++) b[c] += r * (double)v[c];                             \
            }                                                                                     \
        }                                                                                         \
    }

// Gram: A = B + YᵀX (B = NULL: zero) in tiles of 8 rows × 2 vectors, each accumulated in
// registers. The rows t come in chunks whose X and Y rows fit in L1 together (MF_GRAM_L1 bytes),
// so the tiles after a chunk's first read it from L1; each tile starts from B on the first chunk
// and from A after it. B may equal A. X's and Y's rows are ldx apart, and A is computed for
// i, j < ldx: where ldx is an odd number of vectors, the last tiles of each row have one
// vector (`two` is loop-invariant).
#define MF_GRAM_L1 (24 * 1024)
#define MF_GRAM(NAME, T, VT, VW, ATTR)                                                            \
    /* The tile of rows i0..<i0 + 8 × columns j0..<j0 + (two ? 2 : 1)·VW over rows t0..<t1 of   \
       X and Y (`two` a constant after inlining, so the one-vector tiles have a loop of their   \
       own). */                                                                                 \
    ATTR static inline __attribute__((always_inline)) void NAME##_tile(                           \
        const int two, const int kp, const int ldx, const int t0, const int t1, const int i0,     \
        const int j0, const T *restrict X, const T *restrict Y, const T *src, T *A) {             \
        VT a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;                \
        VT a40 = 0, a41 = 0, a50 = 0, a51 = 0, a60 = 0, a61 = 0, a70 = 0, a71 = 0;                \
        if (src) {                                                                                \
            const T *g = src + (size_t)i0 * kp + j0;                                              \
            a00 = *(const VT *)(g + 0 * kp); a10 = *(const VT *)(g + 1 * kp);                     \
            a20 = *(const VT *)(g + 2 * kp); a30 = *(const VT *)(g + 3 * kp);                     \
            a40 = *(const VT *)(g + 4 * kp); a50 = *(const VT *)(g + 5 * kp);                     \
            a60 = *(const VT *)(g + 6 * kp); a70 = *(const VT *)(g + 7 * kp);                     \
            if (two) {                                                                            \
                g += (VW);                                                                        \
                a01 = *(const VT *)(g + 0 * kp); a11 = *(const VT *)(g + 1 * kp);                 \
                a21 = *(const VT *)(g + 2 * kp); a31 = *(const VT *)(g + 3 * kp);                 \
                a41 = *(const VT *)(g + 4 * kp); a51 = *(const VT *)(g + 5 * kp);                 \
                a61 = *(const VT *)(g + 6 * kp); a71 = *(const VT *)(g + 7 * kp);                 \
            }                                                                                     \
        }                                                                                         \
        const T *restrict x = X + (size_t)t0 * ldx + j0;                                          \
        const T *restrict y = Y + (size_t)t0 * ldx + i0;                                          \
        for (int t = t0; t < t1; t++, x += ldx, y += ldx) {                                       \
            const VT x0 = *(const VT *)x, x1 = two ? *(const VT *)(x + (VW)) : 0;                 \
            VT s;                                                                                 \
            s = (VT)y[0]; a00 += s * x0; if (two) a01 += s * x1;                                  \
            s = (VT)y[1]; a10 += s * x0; if (two) a11 += s * x1;                                  \
            s = (VT)y[2]; a20 += s * x0; if (two) a21 += s * x1;                                  \
            s = (VT)y[3]; a30 += s * x0; if (two) a31 += s * x1;                                  \
            s = (VT)y[4]; a40 += s * x0; if (two) a41 += s * x1;                                  \
            s = (VT)y[5]; a50 += s * x0; if (two) a51 += s * x1;                                  \
            s = (VT)y[6]; a60 += s * x0; if (two) a61 += s * x1;                                  \
            s = (VT)y[7]; a70 += s * x0; if (two) a71 += s * x1;                                  \
        }                                                                                         \
        T *o = A + (size_t)i0 * kp + j0;                                                          \
        *(VT *)(o + 0 * kp) = a00; *(VT *)(o + 1 * kp) = a10;                                     \
        *(VT *)(o + 2 * kp) = a20; *(VT *)(o + 3 * kp) = a30;                                     \
        *(VT *)(o + 4 * kp) = a40; *(VT *)(o + 5 * kp) = a50;                                     \
        *(VT *)(o + 6 * kp) = a60; *(VT *)(o + 7 * kp) = a70;                                     \
        if (two) {                                                                                \
            o += (VW);                                                                            \
            *(VT *)(o + 0 * kp) = a01; *(VT *)(o + 1 * kp) = a11;                                 \
            *(VT *)(o + 2 * kp) = a21; *(VT *)(o + 3 * kp) = a31;                                 \
            *(VT *)(o + 4 * kp) = a41; *(VT *)(o + 5 * kp) = a51;                                 \
            *(VT *)(o + 6 * kp) = a61; *(VT *)(o + 7 * kp) = a71;                                 \
        }                                                                                         \
    }                                                                                             \
    ATTR static void NAME(int kp, int ldx, int count, const T *restrict X, const T *restrict Y,  \
                          const T *B, T *A) {                                                     \
        if (!Y) Y = X;                                                                            \
        const int cw = 2 * (VW);                                                                  \
        int chunk = MF_GRAM_L1 / (int)((Y == X ? 1 : 2) * (size_t)ldx * sizeof(T));               \
        if (chunk < 8) chunk = 8;                                                                 \
        for (int t0 = 0; t0 < count || t0 == 0; t0 += chunk) {                                    \
            const int t1 = count - t0 < chunk ? count : t0 + chunk;                               \
            const T *src = t0 == 0 ? B : A;                                                       \
            for (int i0 = 0; i0 < ldx; i0 += 8) {                                                 \
                for (int j0 = (i0 / cw) * cw; j0 < ldx; j0 += cw) {                               \
                    if (j0 + (VW) < ldx) NAME##_tile(1, kp, ldx, t0, t1, i0, j0, X, Y, src, A);   \
                    else NAME##_tile(0, kp, ldx, t0, t1, i0, j0, X, Y, src, A);                   \
                }                                                                                 \
            }                                                                                     \
        }                                                                                         \
    }

// Cholesky by rows (Crout): row j of U is A[j][j:] − Σ_{p<j} U[p][j]·U[p][j:], divided by its
// pivot's root. The row is accumulated in registers up to four vectors at a time, reading the
// rows above once per group: one load per fused multiply-add and no stores in the inner loop.
// Even and odd p go to two sets of accumulators (added at the end), so the multiply-add chains
// over p are half as long: their latency, not the arithmetic, bounds a row. Entries left of the
// diagonal in row j are overwritten with scratch values; only the upper triangle is meaningful.
#define MF_CHOLESKY(NAME, T, VT, VW, SQRT, ATTR)                                                  \
    /* Row j's vectors q..<q + nv·VW (nv ≤ 4, a constant after inlining). */                     \
    ATTR static inline __attribute__((always_inline)) void NAME##_group(                          \
        const int nv, const int j, const int q, const int lda, T *restrict A) {                   \
        T *restrict rj = A + (size_t)j * lda + q;                                                 \
        VT c[4], d[4];                                                                            \
        for (int v = 0; v < nv; v++) { c[v] = *(VT *)(rj + v * (VW)); d[v] = 0; }                 \
        const T *restrict rp = A + q;                                                             \
        int p = 0;                                                                                \
        for (; p + 1 < j; p += 2, rp += 2 * (size_t)lda) {                                        \
            const VT s0 = (VT)A[(size_t)p * lda + j], s1 = (VT)A[(size_t)(p + 1) * lda + j];      \
            for (int v = 0; v < nv; v++) {                                                        \
                c[v] -= s0 * *(const VT *)(rp + v * (VW));                                        \
                d[v] -= s1 * *(const VT *)(rp + lda + v * (VW));                                  \
            }                                                                                     \
        }                                                                                         \
        if (p < j) {                                                                              \
            const VT s0 = (VT)A[(size_t)p * lda + j];                                             \
            for (int v = 0; v < nv; v++) c[v] -= s0 * *(const VT *)(rp + v * (VW));               \
        }                                                                                         \
        for (int v = 0; v < nv; v++) *(VT *)(rj + v * (VW)) = c[v] + d[v];                       \
    }                                                                                             \
    ATTR static int NAME(int k, int lda, T *restrict A, T threshold, T *restrict inverse) {       \
        for (int j = 0; j < k; j++) {                                                             \
            T *restrict rj = A + (size_t)j * lda;                                                 \
            const int first = j / (VW) * (VW);                                                    \
            /* lda is a multiple of VW, so a row's last vectors lie inside it. */                 \
            for (int q = first; q < k; q += 4 * (VW)) {                                           \
                const int n = (k - q + (VW) - 1) / (VW) < 4 ? (k - q + (VW) - 1) / (VW) : 4;      \
                switch (n) {                                                                      \
                case 4: NAME##_group(4, j, q, lda, A); break;                                     \
                case 3: NAME##_group(3, j, q, lda, A); break;                                     \
                case 2: NAME##_group(2, j, q, lda, A); break;                                     \
                default: NAME##_group(1, j, q, lda, A); break;                                    \
                }                                                                                 \
            }                                                                                     \
            for (int c = first; c < j; c++) rj[c] = 0; /* left of the diagonal: exact zeros */  \
            const T d = rj[j];                                                                    \
            if (!(d > threshold)) return j + 1;                                                   \
            const T r = SQRT(d);                                                                  \
            const T inv = 1 / r;                                                                  \
            rj[j] = r;                                                                            \
            inverse[j] = inv;                                                                     \
            for (int l = j + 1; l < k; l++) rj[l] *= inv;                                         \
        }                                                                                         \
        return 0;                                                                                 \
    }

// UᵀU x = b with the factor of MF_CHOLESKY, whose rows are exact zeros left of the diagonal
// (within a vector) and in the padding: both sweeps run over whole, aligned vectors of a row.
// Forward (Uᵀy = b): y_j, then b[l] −= U[j][l]·y_j on the rest of the row (b[j] is rewritten
// after). Backward (Ux = y): the dot product of row j with x, b[j] held aside as 0, in vector
// partial sums reduced in a fixed order. Pivots are applied as mf_cholesky's reciprocals.
#define MF_SOLVE(NAME, T, VT, VW, SUM, ATTR)                                                      \
    ATTR static void NAME(int k, int lda, const T *restrict U, const T *restrict inverse,         \
                          T *restrict b) {                                                        \
        const int end = (k + (VW) - 1) / (VW) * (VW);                                             \
        for (int j = 0; j < k; j++) {                                                             \
            const T *restrict rj = U + (size_t)j * lda;                                           \
            const T y = b[j] * inverse[j];                                                        \
            const VT yv = (VT)y;                                                                  \
            for (int l = j / (VW) * (VW); l < end; l += (VW)) *(VT *)(b + l) -= *(const VT *)(rj + l) * yv; \
            b[j] = y;                                                                             \
        }                                                                                         \
        for (int j = k - 1; j >= 0; j--) {                                                        \
            const T *restrict rj = U + (size_t)j * lda;                                           \
            const T bj = b[j];                                                                    \
            b[j] = 0;                                                                             \
            VT acc = 0;                                                                           \
            for (int l = j / (VW) * (VW); l < end; l += (VW)) acc += *(const VT *)(rj + l) * *(const VT *)(b + l); \
            b[j] = (bj - SUM(acc)) * inverse[j];                                                  \
        }                                                                                         \
    }

// UᵀU xᵣ = bᵣ for many rows r of B at once, 2·VW rows per pass with the rows in the lanes of
// two vectors per entry: the rows are transposed into `work` (k pairs of vectors), both sweeps run
// left-looking in register blocks of LB entries (the block's 2·LB vectors stay in registers while
// the entries solved before it, or after it going back, are subtracted, each broadcast entry of U
// serving both vectors; then the block is solved within itself), and the lanes are written back.
// Each entry receives its updates in the same order as in a sweep one entry at a time (forward:
// y_l −= U[j][l]·y_j for j = 0, 1, …; backward: y_l −= U[l][j]·x_j for j = k − 1, k − 2, …), so
// the results are the same. Padded lanes of a last, partial pass are zeros and stay finite.
//
// MF_BLOCK_CASES: the cases of a switch over a block's size (the last block may be short), the
// size a constant in each call of F.
#define MF_BLOCK_CASES(LB, F, ...)                                                                   \
    case 8: F(8 <= (LB) ? 8 : 1, __VA_ARGS__); break;                                             \
    case 7: F(7 <= (LB) ? 7 : 1, __VA_ARGS__); break;                                             \
    case 6: F(6 <= (LB) ? 6 : 1, __VA_ARGS__); break;                                             \
    case 5: F(5 <= (LB) ? 5 : 1, __VA_ARGS__); break;                                             \
    case 4: F(4 <= (LB) ? 4 : 1, __VA_ARGS__); break;                                             \
    case 3: F(3 <= (LB) ? 3 : 1, __VA_ARGS__); break;                                             \
    case 2: F(2 <= (LB) ? 2 : 1, __VA_ARGS__); break;                                             \
    default: F(1, __VA_ARGS__); break;
#define MF_SOLVE_MANY(NAME, T, VT, VW, LB, ATTR)                                                  \
    /* Forward: entries l0..<l0 + nb (nb ≤ LB, a constant after inlining) of y = U⁻ᵀb. */         \
    ATTR static inline __attribute__((always_inline)) void NAME##_forward(                        \
        const int nb, const int l0, const int lda, const T *restrict U, const T *restrict inverse, VT *restrict y) {\
        VT a[LB], b[LB];                                                                          \
        for (int q = 0; q < nb; q++) { a[q] = y[2 * (l0 + q)]; b[q] = y[2 * (l0 + q) + 1]; }      \
        for (int p = 0; p < l0; p++) {                                                            \
            const VT yp = y[2 * p], zp = y[2 * p + 1];                                            \
            const T *restrict up = U + (size_t)p * lda + l0;                                      \
            for (int q = 0; q < nb; q++) { const VT s = (VT)up[q]; a[q] -= s * yp; b[q] -= s * zp; }\
        }                                                                                         \
        for (int j = 0; j < nb; j++) {                                                            \
            a[j] = a[j] * inverse[l0 + j];                                                        \
            b[j] = b[j] * inverse[l0 + j];                                                        \
            const T *restrict uj = U + (size_t)(l0 + j) * lda + l0;                               \
            for (int q = j + 1; q < nb; q++) { const VT s = (VT)uj[q]; a[q] -= s * a[j]; b[q] -= s * b[j]; }\
        }                                                                                         \
        for (int q = 0; q < nb; q++) { y[2 * (l0 + q)] = a[q]; y[2 * (l0 + q) + 1] = b[q]; }      \
    }                                                                                             \
    /* Backward: entries l0..<l0 + nb of x = U⁻¹y, the entries after them already solved. */      \
    ATTR static inline __attribute__((always_inline)) void NAME##_backward(                       \
        const int nb, const int l0, const int k, const int lda, const T *restrict U, const T *restrict inverse,\
        VT *restrict y) {                                                                         \
        VT a[LB], b[LB];                                                                          \
        for (int q = 0; q < nb; q++) { a[q] = y[2 * (l0 + q)]; b[q] = y[2 * (l0 + q) + 1]; }      \
        for (int p = k - 1; p >= l0 + nb; p--) {                                                  \
            const VT xp = y[2 * p], zp = y[2 * p + 1];                                            \
            for (int q = 0; q < nb; q++) {                                                        \
                const VT s = (VT)U[(size_t)(l0 + q) * lda + p];                                   \
                a[q] -= s * xp;                                                                   \
                b[q] -= s * zp;                                                                   \
            }                                                                                     \
        }                                                                                         \
        for (int j = nb - 1; j >= 0; j--) {                                                       \
            a[j] = a[j] * inverse[l0 + j];                                                        \
            b[j] = b[j] * inverse[l0 + j];                                                        \
            for (int q = 0; q < j; q++) {                                                         \
                const VT s = (VT)U[(size_t)(l0 + q) * lda + l0 + j];                              \
                a[q] -= s * a[j];                                                                 \
                b[q] -= s * b[j];                                                                 \
            }                                                                                     \
        }                                                                                         \
        for (int q = 0; q < nb; q++) { y[2 * (l0 + q)] = a[q]; y[2 * (l0 + q) + 1] = b[q]; }      \
    }                                                                                             \
    ATTR static void NAME(int k, int lda, const T *restrict U, const T *restrict inverse,         \
                          int count, T *restrict B, int ldb, T *restrict work) {                  \
        VT *restrict y = (VT *)work;                                                              \
        for (int r0 = 0; r0 < count; r0 += 2 * (VW)) {                                            \
            const int lanes = count - r0 < 2 * (VW) ? count - r0 : 2 * (VW);                      \
            const T *restrict rows = B + (size_t)r0 * ldb;                                        \
            for (int l = 0; l < k; l++) {                                                         \
                VT t0 = 0, t1 = 0;                                                                \
                if (lanes == 2 * (VW)) {                                                          \
                    /* Constant lane indices: inserts in registers, no trip through memory. */    \
                    _Pragma("clang loop unroll(full)")                                            \
                    for (int q = 0; q < (VW); q++) {                                              \
                        t0[q] = rows[(size_t)q * ldb + l];                                        \
                        t1[q] = rows[(size_t)((VW) + q) * ldb + l];                               \
                    }                                                                             \
                } else {                                                                          \
                    for (int q = 0; q < lanes && q < (VW); q++) t0[q] = rows[(size_t)q * ldb + l];\
                    for (int q = (VW); q < lanes; q++) t1[q - (VW)] = rows[(size_t)q * ldb + l];  \
                }                                                                                 \
                y[2 * l] = t0;                                                                    \
                y[2 * l + 1] = t1;                                                                \
            }                                                                                     \
            for (int l0 = 0; l0 < k; l0 += (LB)) {                                                \
                switch (k - l0 < (LB) ? k - l0 : (LB)) {                                          \
                MF_BLOCK_CASES(LB, NAME##_forward, l0, lda, U, inverse, y)                            \
                }                                                                                 \
            }                                                                                     \
            for (int l0 = (k - 1) / (LB) * (LB); l0 >= 0; l0 -= (LB)) {                           \
                switch (k - l0 < (LB) ? k - l0 : (LB)) {                                          \
                MF_BLOCK_CASES(LB, NAME##_backward, l0, k, lda, U, inverse, y)                        \
                }                                                                                 \
            }                                                                                     \
            T *restrict out = B + (size_t)r0 * ldb;                                               \
            for (int l = 0; l < k; l++) {                                                         \
                const VT t0 = y[2 * l], t1 = y[2 * l + 1];                                        \
                if (lanes == 2 * (VW)) {                                                          \
                    _Pragma("clang loop unroll(full)")                                            \
                    for (int q = 0; q < (VW); q++) {                                              \
                        out[(size_t)q * ldb + l] = t0[q];                                         \
                        out[(size_t)((VW) + q) * ldb + l] = t1[q];                                \
                    }                                                                             \
                } else {                                                                          \
                    for (int q = 0; q < lanes && q < (VW); q++) out[(size_t)q * ldb + l] = t0[q]; \
                    for (int q = (VW); q < lanes; q++) out[(size_t)q * ldb + l] = t1[q - (VW)];   \
                }                                                                                 \
            }                                                                                     \
        }                                                                                         \
    }

#define MF_VARIANTS(SUFFIX, ATTR, DV, DW, DSUM, FV, FW, FSUM, SLB)                               \
    MF_GATHER(gather_d_##SUFFIX, double, ATTR)                                                    \
    MF_GATHER(gather_s_##SUFFIX, float, ATTR)                                                     \
    MF_GRAM(gram_d_##SUFFIX, double, DV, DW, ATTR)                                                \
    MF_GRAM(gram_s_##SUFFIX, float, FV, FW, ATTR)                                                 \
    MF_CHOLESKY(cholesky_d_##SUFFIX, double, DV, DW, sqrt, ATTR)                                  \
    MF_CHOLESKY(cholesky_s_##SUFFIX, float, FV, FW, sqrtf, ATTR)                                  \
    MF_SOLVE(solve_d_##SUFFIX, double, DV, DW, DSUM, ATTR)                                        \
    MF_SOLVE(solve_s_##SUFFIX, float, FV, FW, FSUM, ATTR)                                         \
    MF_SOLVE_MANY(solve_many_d_##SUFFIX, double, DV, DW, SLB, ATTR)                               \
    MF_SOLVE_MANY(solve_many_s_##SUFFIX, float, FV, FW, SLB, ATTR)

MF_VARIANTS(portable, , mf_d2, 2, MF_SUM2, mf_f4, 4, MF_SUM4, 4)
#if MF_HAVE_X86_VARIANTS
MF_VARIANTS(avx2, MF_AVX2, mf_d4, 4, MF_SUM4, mf_f8, 8, MF_SUM8, 4)
MF_VARIANTS(avx512, MF_AVX512, mf_d8, 8, MF_SUM8, mf_f16, 16, MF_SUM16, 8)
#endif

// MARK: Dispatch

void mf_gather_d(int isa, int k, int kp, int count, const double *V, const int32_t *idx, const double *gw,
                 const double *rw, double *X, double *Y, double *b) {
    MF_DISPATCH(gather_d, k, kp, count, V, idx, gw, rw, X, Y, b)
}
void mf_gather_s(int isa, int k, int kp, int count, const float *V, const int32_t *idx, const double *gw,
                 const double *rw, float *X, float *Y, double *b) {
    MF_DISPATCH(gather_s, k, kp, count, V, idx, gw, rw, X, Y, b)
}
void mf_gram_d(int isa, int kp, int ldx, int count, const double *X, const double *Y, const double *B, double *A) {
    MF_DISPATCH(gram_d, kp, ldx, count, X, Y, B, A)
}
void mf_gram_s(int isa, int kp, int ldx, int count, const float *X, const float *Y, const float *B, float *A) {
    MF_DISPATCH(gram_s, kp, ldx, count, X, Y, B, A)
}
int mf_cholesky_d(int isa, int k, int lda, double *A, double threshold, double *inverse) {
    MF_DISPATCH(cholesky_d, k, lda, A, threshold, inverse)
}
int mf_cholesky_s(int isa, int k, int lda, float *A, float threshold, float *inverse) {
    MF_DISPATCH(cholesky_s, k, lda, A, threshold, inverse)
}
void mf_cholesky_solve_d(int isa, int k, int lda, const double *U, const double *inverse, double *b) {
    MF_DISPATCH(solve_d, k, lda, U, inverse, b)
}
void mf_cholesky_solve_s(int isa, int k, int lda, const float *U, const float *inverse, float *b) {
    MF_DISPATCH(solve_s, k, lda, U, inverse, b)
}
void mf_cholesky_solve_many_d(int isa, int k, int lda, const double *U, const double *inverse, int count, double *B, int ldb,
                              double *work) {
    MF_DISPATCH(solve_many_d, k, lda, U, inverse, count, B, ldb, work)
}
void mf_cholesky_solve_many_s(int isa, int k, int lda, const float *U, const float *inverse, int count, float *B, int ldb,
                              float *work) {
    MF_DISPATCH(solve_many_s, k, lda, U, inverse, count, B, ldb, work)
}
