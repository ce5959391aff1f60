// PyTorch's Adam and SparseAdam updates (mf_adam_step, mf_sparse_adam_step in mf_training.h), on
// doubles only (T = double). The arithmetic is PyTorch's, element by element, with contraction
// into fused multiply-adds switched off in both functions: every variant rounds exactly as the
// scalar formula does.

// Adam: d = g + decay·x; m = β1·m + (1−β1)·d; v = β2·v + (1−β2)·d²;
// x −= stepSize·m / (√v / root2 + ε).
static void MF_FN(adam)(long count, double *restrict x, const double *restrict g, double *restrict m,
                        double *restrict v, double decay, double beta1, double beta2, double epsilon,
                        double stepSize, double root2) {
#pragma clang fp contract(off)
    long c = 0;
    for (; c + (VW) <= count; c += (VW)) {
        VT xs = *(VT *)(x + c);
        const VT d = *(const VT *)(g + c) + decay * xs;
        const VT ms = beta1 * *(VT *)(m + c) + (1 - beta1) * d;
        const VT vs = beta2 * *(VT *)(v + c) + (1 - beta2) * d * d;
        xs -= stepSize * ms / (__builtin_elementwise_sqrt(vs) / root2 + epsilon);
        *(VT *)(x + c) = xs;
        *(VT *)(m + c) = ms;
        *(VT *)(v + c) = vs;
    }
    for (; c < count; c++) {
        const double d = g[c] + decay * x[c];
        m[c] = beta1 * m[c] + (1 - beta1) * d;
        v[c] = beta2 * v[c] + (1 - beta2) * d * d;
        x[c] -= stepSize * m[c] / (__builtin_sqrt(v[c]) / root2 + epsilon);
    }
}

// torch.optim.SparseAdam's update (torch.optim._functional.sparse_adam) of the `count` rows
// `rows[s]` of X, M and Vs from the rows s of G, in PyTorch's operation order:
// Δm = (g − m)·(1 − β1), Δv = (g² − v)·(1 − β2), m += Δm, v += Δv,
// x −= stepSize·((Δm + m_old) / (√(Δv + v_old) + ε)).
static void MF_FN(sparse_adam)(int w, long count, const int32_t *restrict rows, double *restrict X,
                               const double *restrict G, double *restrict M, double *restrict Vs, double beta1,
                               double beta2, double epsilon, double stepSize) {
#pragma clang fp contract(off)
    const double keep1 = 1 - beta1, keep2 = 1 - beta2;
    for (long s = 0; s < count; s++) {
        const size_t o = (size_t)rows[s] * w;
        double *restrict x = X + o, *restrict m = M + o, *restrict v = Vs + o;
        const double *restrict g = G + (size_t)s * w;
        int c = 0;
        for (; c + (VW) <= w; c += (VW)) {
            const VT m0 = *(VT *)(m + c), v0 = *(VT *)(v + c), d = *(const VT *)(g + c);
            const VT dm = (d - m0) * keep1, dv = (d * d - v0) * keep2;
            *(VT *)(m + c) = m0 + dm;
            *(VT *)(v + c) = v0 + dv;
            *(VT *)(x + c) = *(VT *)(x + c) - stepSize * ((dm + m0) / (__builtin_elementwise_sqrt(dv + v0) + epsilon));
        }
        for (; c < w; c++) {
            const double m0 = m[c], v0 = v[c], d = g[c];
            const double dm = (d - m0) * keep1, dv = (d * d - v0) * keep2;
            m[c] = m0 + dm;
            v[c] = v0 + dv;
            x[c] -= stepSize * ((dm + m0) / (__builtin_sqrt(dv + v0) + epsilon));
        }
    }
}
