// UᵀU x = b with the factor of cholesky.h, whose rows are exact zeros left of the diagonal
// (within a vector) and in the padding: both sweeps run over whole, aligned vectors of a row
// (mf_cholesky_solve in mf_ridge.h). Forward (Uᵀy = b): y_j, then b[l] −= U[j][l]·y_j on the rest
// of the row (b[j] is rewritten after). Backward (Ux = y): the dot product of row j with x, b[j]
// held aside as 0, in vector partial sums reduced in a fixed order. Pivots are applied as
// mf_cholesky's reciprocals.
static void MF_FN(solve)(int k, int lda, const T *restrict U, const T *restrict inverse, T *restrict b) {
    const int end = (k + (VW) - 1) / (VW) * (VW);
    for (int j = 0; j < k; j++) {
        const T *restrict rj = U + (size_t)j * lda;
        const T y = b[j] * inverse[j];
        const VT yv = (VT)y;
        for (int l = j / (VW) * (VW); l < end; l += (VW)) *(VT *)(b + l) -= *(const VT *)(rj + l) * yv;
        b[j] = y;
    }
    for (int j = k - 1; j >= 0; j--) {
        const T *restrict rj = U + (size_t)j * lda;
        const T bj = b[j];
        b[j] = 0;
        VT acc = 0;
        for (int l = j / (VW) * (VW); l < end; l += (VW)) acc += *(const VT *)(rj + l) * *(const VT *)(b + l);
        b[j] = (bj - SUM(acc)) * inverse[j];
    }
}
