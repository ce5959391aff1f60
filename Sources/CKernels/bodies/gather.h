// Gather: rows of V into a padded buffer, optionally scaled copies, and the right-hand side
// (mf_gather in mf_ridge.h). The rows are random reads from a matrix larger than L2: each one is
// prefetched MF_GATHER_AHEAD rows before it is copied.
#define MF_GATHER_AHEAD 6

static void MF_FN(gather)(int k, int kp, int count, const T *restrict V, const int32_t *restrict idx,
                          const double *restrict gw, const double *restrict rw, T *restrict X, T *restrict Y,
                          double *restrict b) {
    const size_t rowBytes = (size_t)k * sizeof(T);
    for (int t = 0; t < count; t++) {
        if (t + MF_GATHER_AHEAD < count) {
            const char *ahead = (const char *)(V + (size_t)idx[t + MF_GATHER_AHEAD] * (size_t)k);
            for (size_t o = 0; o < rowBytes; o += 64) __builtin_prefetch(ahead + o);
        }
        const T *restrict v = V + (size_t)idx[t] * (size_t)k;
        T *restrict x = X + (size_t)t * (size_t)kp;
        for (int c = 0; c < k; c++) x[c] = v[c];
        for (int c = k; c < kp; c++) x[c] = 0;
        if (Y) {
            T *restrict y = Y + (size_t)t * (size_t)kp;
            const T s = (T)gw[t];
            for (int c = 0; c < k; c++) y[c] = s * v[c];
            for (int c = k; c < kp; c++) y[c] = 0;
        }
        if (rw) {
            const double r = rw[t];
            for (int c = 0; c < k; c++) b[c] += r * (double)v[c];
        }
    }
}

#undef MF_GATHER_AHEAD
