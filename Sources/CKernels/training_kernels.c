// Gradient training's kernels (include/mf_training.h): PyTorch's Adam and SparseAdam updates and
// the loss and gradient of a mini-batch, instantiated for each variant (mf_simd.h).
//
// Adam's and SparseAdam's arithmetic is PyTorch's, element by element, with contraction into
// fused multiply-adds switched off: every variant rounds exactly as the scalar formula does.
#include "mf_simd.h"
#include "mf_training.h"

#include <stddef.h>

#pragma clang fp contract(off)

#define MF_ADAM(NAME, VT, VW, ATTR)                                                               \
    ATTR static void NAME(long count, double *restrict x, const double *restrict g,               \
                          double *restrict m, double *restrict v, double decay, double beta1,     \
                          double beta2, double epsilon, double stepSize, double root2) {          \
        long c = 0;                                                                               \
        for (; c + (VW) <= count; c += (VW)) {                                                    \
            VT xs = *(VT *)(x + c);                                                               \
            const VT d = *(const VT *)(g + c) + decay * xs;                                       \
            const VT ms = beta1 * *(VT *)(m + c) + (1 - beta1) * d;                               \
            const VT vs = beta2 * *(VT *)(v + c) + (1 - beta2) * d * d;                           \
            xs -= stepSize * ms / (__builtin_elementwise_sqrt(vs) / root2 + epsilon);             \
            *(VT *)(x + c) = xs;                                                                  \
            *(VT *)(m + c) = ms;                                                                  \
            *(VT *)(v + c) = vs;                                                                  \
        }                                                                                         \
        for (; c < count; c++) {                                                                  \
            const double d = g[c] + decay * x[c];                                                 \
            m[c] = beta1 * m[c] + (1 - beta1) * d;                                                \
            v[c] = beta2 * v[c] + (1 - beta2) * d * d;                                            \
            x[c] -= stepSize * m[c] / (__builtin_sqrt(v[c]) / root2 + epsilon);                   \
        }                                                                                         \
    }

MF_ADAM(adam_portable, mf_d2, 2, )
#if MF_HAVE_X86_VARIANTS
MF_ADAM(adam_avx2, mf_d4, 4, MF_AVX2)
MF_ADAM(adam_avx512, mf_d8, 8, MF_AVX512)
#endif

void mf_adam_step(int isa, long count, double *x, const double *g, double *m, double *v, double decay,
                  double beta1, double beta2, double epsilon, double stepSize, double root2) {
    int best = mf_kernel_best_isa();
    if (isa < 0 || isa > best) isa = best;
#if MF_HAVE_X86_VARIANTS
    if (isa == MF_ISA_AVX512) return adam_avx512(count, x, g, m, v, decay, beta1, beta2, epsilon, stepSize, root2);
    if (isa == MF_ISA_AVX2) return adam_avx2(count, x, g, m, v, decay, beta1, beta2, epsilon, stepSize, root2);
#endif
    adam_portable(count, x, g, m, v, decay, beta1, beta2, epsilon, stepSize, root2);
}

// MARK: SparseAdam

// torch.optim.SparseAdam's update (torch.optim._functional.sparse_adam) of the `count` rows
// `rows[s]` of X, M and Vs from the rows s of G, in PyTorch's operation order:
// Δm = (g − m)·(1 − β1), Δv = (g² − v)·(1 − β2), m += Δm, v += Δv,
// x −= stepSize·((Δm + m_old) / (√(Δv + v_old) + ε)). No fused multiply-adds (as Adam above).
#define MF_SPARSE_ADAM(NAME, VT, VW, ATTR)                                                        \
    ATTR static void NAME(int w, long count, const int32_t *restrict rows, double *restrict X,    \
                          const double *restrict G, double *restrict M, double *restrict Vs,      \
                          double beta1, double beta2, double epsilon, double stepSize) {          \
        const double keep1 = 1 - beta1, keep2 = 1 - beta2;                                       \
        for (long s = 0; s < count; s++) {                                                        \
            const size_t o = (size_t)rows[s] * w;                                                 \
            double *restrict x = X + o, *restrict m = M + o, *restrict v = Vs + o;                \
            const double *restrict g = G + (size_t)s * w;                                         \
            int c = 0;                                                                            \
            for (; c + (VW) <= w; c += (VW)) {                                                    \
                const VT m0 = *(VT *)(m + c), v0 = *(VT *)(v + c), d = *(const VT *)(g + c);      \
                const VT dm = (d - m0) * keep1, dv = (d * d - v0) * keep2;                        \
                *(VT *)(m + c) = m0 + dm;                                                         \
                *(VT *)(v + c) = v0 + dv;                                                         \
                *(VT *)(x + c) = *(VT *)(x + c)                                                   \
                    - stepSize * ((dm + m0) / (__builtin_elementwise_sqrt(dv + v0) + epsilon));   \
            }                                                                                     \
            for (; c < w; c++) {                                                                  \
                const double m0 = m[c], v0 = v[c], d = g[c];                                      \
                const double dm = (d - m0) * keep1, dv = (d * d - v0) * keep2;                    \
                m[c] = m0 + dm;                                                                   \
                v[c] = v0 + dv;                                                                   \
                x[c] -= stepSize * ((dm + m0) / (__builtin_sqrt(dv + v0) + epsilon));            \
            }                                                                                     \
        }                                                                                         \
    }

MF_SPARSE_ADAM(sparse_adam_portable, mf_d2, 2, )
#if MF_HAVE_X86_VARIANTS
MF_SPARSE_ADAM(sparse_adam_avx2, mf_d4, 4, MF_AVX2)
MF_SPARSE_ADAM(sparse_adam_avx512, mf_d8, 8, MF_AVX512)
#endif

void mf_sparse_adam_step(int isa, int w, long count, const int32_t *rows, double *x, const double *g, double *m, double *v,
                         double beta1, double beta2, double epsilon, double stepSize) {
    int best = mf_kernel_best_isa();
    if (isa < 0 || isa > best) isa = best;
#if MF_HAVE_X86_VARIANTS
    if (isa == MF_ISA_AVX512) return sparse_adam_avx512(w, count, rows, x, g, m, v, beta1, beta2, epsilon, stepSize);
    if (isa == MF_ISA_AVX2) return sparse_adam_avx2(w, count, rows, x, g, m, v, beta1, beta2, epsilon, stepSize);
#endif
    sparse_adam_portable(w, count, rows, x, g, m, v, beta1, beta2, epsilon, stepSize);
}

// MARK: Mini-batch gradient

#pragma clang fp contract(on)

// The observed loss on one mini-batch of stored entries and its gradient: for each entry p of
// the batch (user u, item j), e = t_p − x_u·v_j, loss += e² + s_p‖x_u‖² over the regularized
// components, and g_u += −2·scale·e·v_j + 2·scale·s_p·x_u (the bias component, past
// `regularized`, unpenalized). Dot products use vector partial sums reduced in a fixed order.
#define MF_BATCH(NAME, VT, VW, SUM, ATTR)                                                         \
    ATTR static double NAME(int w, int regularized, long count, const int64_t *restrict order,    \
                            const int32_t *restrict rows, const int32_t *restrict cols,           \
                            const double *restrict targets, const double *restrict shares,        \
                            const double *restrict X, const double *restrict V, double scale,     \
                            double *restrict G) {                                                 \
        double loss = 0;                                                                          \
        const int vectors = regularized / (VW) * (VW);                                            \
        for (long t = 0; t < count; t++) {                                                        \
            const int64_t p = order[t];                                                           \
            const double *restrict x = X + (size_t)rows[p] * w;                                   \
            const double *restrict v = V + (size_t)cols[p] * w;                                   \
            double *restrict g = G + (size_t)rows[p] * w;                                         \
            VT ap = 0, an = 0;                                                                    \
            for (int c = 0; c < vectors; c += (VW)) {                                             \
                const VT xv = *(const VT *)(x + c);                                               \
                ap += xv * *(const VT *)(v + c);                                                  \
                an += xv * xv;                                                                    \
            }                                                                                     \
            double prediction = SUM(ap), norm = SUM(an);                                          \
            for (int c = vectors; c < regularized; c++) { prediction += x[c] * v[c]; norm += x[c] * x[c]; } \
            for (int c = regularized; c < w; c++) prediction += x[c] * v[c];                      \
            const double e = targets[p] - prediction;                                             \
            const double share = shares[p];                                                       \
            loss += e * e + share * norm;                                                         \
            const double a = -2 * scale * e, b = 2 * scale * share;                               \
            const VT av = (VT)a, bv = (VT)b;                                                      \
            for (int c = 0; c < vectors; c += (VW))                                               \
                *(VT *)(g + c) += av * *(const VT *)(v + c) + bv * *(const VT *)(x + c);          \
            for (int c = vectors; c < regularized; c++) g[c] += a * v[c] + b * x[c];              \
            for (int c = regularized; c < w; c++) g[c] += a * v[c];                               \
        }                                                                                         \
        return loss;                                                                              \
    }

MF_BATCH(batch_portable, mf_d2, 2, MF_SUM2, )
#if MF_HAVE_X86_VARIANTS
MF_BATCH(batch_avx2, mf_d4, 4, MF_SUM4, MF_AVX2)
MF_BATCH(batch_avx512, mf_d8, 8, MF_SUM8, MF_AVX512)
#endif

double mf_batch_gradient(int isa, int w, int regularized, long count, const int64_t *order, const int32_t *rows,
                         const int32_t *cols, const double *targets, const double *shares, const double *X,
                         const double *V, double scale, double *G) {
    int best = mf_kernel_best_isa();
    if (isa < 0 || isa > best) isa = best;
#if MF_HAVE_X86_VARIANTS
    if (isa == MF_ISA_AVX512) return batch_avx512(w, regularized, count, order, rows, cols, targets, shares, X, V, scale, G);
    if (isa == MF_ISA_AVX2) return batch_avx2(w, regularized, count, order, rows, cols, targets, shares, X, V, scale, G);
#endif
    return batch_portable(w, regularized, count, order, rows, cols, targets, shares, X, V, scale, G);
}
