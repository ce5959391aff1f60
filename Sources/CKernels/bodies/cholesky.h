// Cholesky by rows (Crout; mf_cholesky in mf_ridge.h): row j of U is
// A[j][j:] − Σ_{p<j} U[p][j]·U[p][j:], divided by its pivot's root. The row is accumulated in
// registers up to four vectors at a time, reading the rows above once per group: one load per
// fused multiply-add and no stores in the inner loop. Even and odd p go to two sets of
// accumulators (added at the end), so the multiply-add chains over p are half as long: their
// latency, not the arithmetic, bounds a row. Entries left of the diagonal in row j are
// overwritten with scratch values; only the upper triangle is meaningful.
//
// Needs SQRT, the square root of a T.

// Row j's vectors q..<q + nv·VW (nv ≤ 4, a constant after inlining).
MF_INLINE void MF_FN(cholesky_group)(const int nv, const int j, const int q, const int lda, T *restrict A) {
    T *restrict rj = A + (size_t)j * lda + q;
    VT c[4], d[4];
    for (int v = 0; v < nv; v++) { c[v] = *(VT *)(rj + v * (VW)); d[v] = 0; }
    const T *restrict rp = A + q;
    int p = 0;
    for (; p + 1 < j; p += 2, rp += 2 * (size_t)lda) {
        const VT s0 = (VT)A[(size_t)p * lda + j], s1 = (VT)A[(size_t)(p + 1) * lda + j];
        for (int v = 0; v < nv; v++) {
            c[v] -= s0 * *(const VT *)(rp + v * (VW));
            d[v] -= s1 * *(const VT *)(rp + lda + v * (VW));
        }
    }
    if (p < j) {
        const VT s0 = (VT)A[(size_t)p * lda + j];
        for (int v = 0; v < nv; v++) c[v] -= s0 * *(const VT *)(rp + v * (VW));
    }
    for (int v = 0; v < nv; v++) *(VT *)(rj + v * (VW)) = c[v] + d[v];
}

static int MF_FN(cholesky)(int k, int lda, T *restrict A, T threshold, T *restrict inverse) {
    for (int j = 0; j < k; j++) {
        T *restrict rj = A + (size_t)j * lda;
        const int first = j / (VW) * (VW);
        // lda is a multiple of VW, so a row's last vectors lie inside it.
        for (int q = first; q < k; q += 4 * (VW)) {
            const int n = (k - q + (VW) - 1) / (VW) < 4 ? (k - q + (VW) - 1) / (VW) : 4;
            switch (n) {
            case 4: MF_FN(cholesky_group)(4, j, q, lda, A); break;
            case 3: MF_FN(cholesky_group)(3, j, q, lda, A); break;
            case 2: MF_FN(cholesky_group)(2, j, q, lda, A); break;
            default: MF_FN(cholesky_group)(1, j, q, lda, A); break;
            }
        }
        for (int c = first; c < j; c++) rj[c] = 0; // left of the diagonal: exact zeros
        const T d = rj[j];
        if (!(d > threshold)) return j + 1;
        const T r = SQRT(d);
        const T inv = 1 / r;
        rj[j] = r;
        inverse[j] = inv;
        for (int l = j + 1; l < k; l++) rj[l] *= inv;
    }
    return 0;
}
