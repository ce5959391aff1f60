// UᵀU xᵣ = bᵣ for many rows r of B at once (mf_cholesky_solve_many in mf_ridge.h), 2·VW rows per
// pass with the rows in the lanes of two vectors per entry: the rows are transposed into `work`
// (k pairs of vectors), both sweeps run left-looking in register blocks of LB entries (the
// block's 2·LB vectors stay in registers while the entries solved before it, or after it going
// back, are subtracted, each broadcast entry of U serving both vectors; then the block is solved
// within itself), and the lanes are written back. Each entry receives its updates in the same
// order as in a sweep one entry at a time (forward: y_l −= U[j][l]·y_j for j = 0, 1, …; backward:
// y_l −= U[l][j]·x_j for j = k − 1, k − 2, …), so the results are the same. Padded lanes of a
// last, partial pass are zeros and stay finite.
//
// Needs MF_SOLVE_LB, the block size LB (at most 8).
#define LB MF_SOLVE_LB

// Forward: entries l0..<l0 + nb (nb ≤ LB, a constant after inlining) of y = U⁻ᵀb.
MF_INLINE void MF_FN(solve_many_forward)(const int nb, const int l0, const int lda, const T *restrict U,
                                         const T *restrict inverse, VT *restrict y) {
    VT a[LB], b[LB];
    for (int q = 0; q < nb; q++) { a[q] = y[2 * (l0 + q)]; b[q] = y[2 * (l0 + q) + 1]; }
    for (int p = 0; p < l0; p++) {
        const VT yp = y[2 * p], zp = y[2 * p + 1];
        const T *restrict up = U + (size_t)p * lda + l0;
        for (int q = 0; q < nb; q++) { const VT s = (VT)up[q]; a[q] -= s * yp; b[q] -= s * zp; }
    }
    for (int j = 0; j < nb; j++) {
        a[j] = a[j] * inverse[l0 + j];
        b[j] = b[j] * inverse[l0 + j];
        const T *restrict uj = U + (size_t)(l0 + j) * lda + l0;
        for (int q = j + 1; q < nb; q++) { const VT s = (VT)uj[q]; a[q] -= s * a[j]; b[q] -= s * b[j]; }
    }
    for (int q = 0; q < nb; q++) { y[2 * (l0 + q)] = a[q]; y[2 * (l0 + q) + 1] = b[q]; }
}

// Backward: entries l0..<l0 + nb of x = U⁻¹y, the entries after them already solved.
MF_INLINE void MF_FN(solve_many_backward)(const int nb, const int l0, const int k, const int lda, const T *restrict U,
                                          const T *restrict inverse, VT *restrict y) {
    VT a[LB], b[LB];
    for (int q = 0; q < nb; q++) { a[q] = y[2 * (l0 + q)]; b[q] = y[2 * (l0 + q) + 1]; }
    for (int p = k - 1; p >= l0 + nb; p--) {
        const VT xp = y[2 * p], zp = y[2 * p + 1];
        for (int q = 0; q < nb; q++) {
            const VT s = (VT)U[(size_t)(l0 + q) * lda + p];
            a[q] -= s * xp;
            b[q] -= s * zp;
        }
    }
    for (int j = nb - 1; j >= 0; j--) {
        a[j] = a[j] * inverse[l0 + j];
        b[j] = b[j] * inverse[l0 + j];
        for (int q = 0; q < j; q++) {
            const VT s = (VT)U[(size_t)(l0 + q) * lda + l0 + j];
            a[q] -= s * a[j];
            b[q] -= s * b[j];
        }
    }
    for (int q = 0; q < nb; q++) { y[2 * (l0 + q)] = a[q]; y[2 * (l0 + q) + 1] = b[q]; }
}

// Both sweeps over the k pairs of vectors at y, block by block: the switches make each block's
// size a constant of the call it selects (the last block may be short).
MF_INLINE void MF_FN(solve_many_sweeps)(const int k, const int lda, const T *restrict U, const T *restrict inverse,
                                        VT *restrict y) {
    for (int l0 = 0; l0 < k; l0 += LB) {
        switch (k - l0 < LB ? k - l0 : LB) {
        case 8: MF_FN(solve_many_forward)(8 <= LB ? 8 : 1, l0, lda, U, inverse, y); break;
        case 7: MF_FN(solve_many_forward)(7 <= LB ? 7 : 1, l0, lda, U, inverse, y); break;
        case 6: MF_FN(solve_many_forward)(6 <= LB ? 6 : 1, l0, lda, U, inverse, y); break;
        case 5: MF_FN(solve_many_forward)(5 <= LB ? 5 : 1, l0, lda, U, inverse, y); break;
        case 4: MF_FN(solve_many_forward)(4 <= LB ? 4 : 1, l0, lda, U, inverse, y); break;
        case 3: MF_FN(solve_many_forward)(3 <= LB ? 3 : 1, l0, lda, U, inverse, y); break;
        case 2: MF_FN(solve_many_forward)(2 <= LB ? 2 : 1, l0, lda, U, inverse, y); break;
        default: MF_FN(solve_many_forward)(1, l0, lda, U, inverse, y); break;
        }
    }
    for (int l0 = (k - 1) / LB * LB; l0 >= 0; l0 -= LB) {
        switch (k - l0 < LB ? k - l0 : LB) {
        case 8: MF_FN(solve_many_backward)(8 <= LB ? 8 : 1, l0, k, lda, U, inverse, y); break;
        case 7: MF_FN(solve_many_backward)(7 <= LB ? 7 : 1, l0, k, lda, U, inverse, y); break;
        case 6: MF_FN(solve_many_backward)(6 <= LB ? 6 : 1, l0, k, lda, U, inverse, y); break;
        case 5: MF_FN(solve_many_backward)(5 <= LB ? 5 : 1, l0, k, lda, U, inverse, y); break;
        case 4: MF_FN(solve_many_backward)(4 <= LB ? 4 : 1, l0, k, lda, U, inverse, y); break;
        case 3: MF_FN(solve_many_backward)(3 <= LB ? 3 : 1, l0, k, lda, U, inverse, y); break;
        case 2: MF_FN(solve_many_backward)(2 <= LB ? 2 : 1, l0, k, lda, U, inverse, y); break;
        default: MF_FN(solve_many_backward)(1, l0, k, lda, U, inverse, y); break;
        }
    }
}

static void MF_FN(solve_many)(int k, int lda, const T *restrict U, const T *restrict inverse, int count,
                              T *restrict B, int ldb, T *restrict work) {
    VT *restrict y = (VT *)work;
    for (int r0 = 0; r0 < count; r0 += 2 * (VW)) {
        const int lanes = count - r0 < 2 * (VW) ? count - r0 : 2 * (VW);
        const T *restrict rows = B + (size_t)r0 * ldb;
        for (int l = 0; l < k; l++) {
            VT t0 = 0, t1 = 0;
            if (lanes == 2 * (VW)) {
                // Constant lane indices: inserts in registers, no trip through memory.
#pragma clang loop unroll(full)
                for (int q = 0; q < (VW); q++) {
                    t0[q] = rows[(size_t)q * ldb + l];
                    t1[q] = rows[(size_t)((VW) + q) * ldb + l];
                }
            } else {
                for (int q = 0; q < lanes && q < (VW); q++) t0[q] = rows[(size_t)q * ldb + l];
                for (int q = (VW); q < lanes; q++) t1[q - (VW)] = rows[(size_t)q * ldb + l];
            }
            y[2 * l] = t0;
            y[2 * l + 1] = t1;
        }
        MF_FN(solve_many_sweeps)(k, lda, U, inverse, y);
        T *restrict out = B + (size_t)r0 * ldb;
        for (int l = 0; l < k; l++) {
            const VT t0 = y[2 * l], t1 = y[2 * l + 1];
            if (lanes == 2 * (VW)) {
#pragma clang loop unroll(full)
                for (int q = 0; q < (VW); q++) {
                    out[(size_t)q * ldb + l] = t0[q];
                    out[(size_t)((VW) + q) * ldb + l] = t1[q];
                }
            } else {
                for (int q = 0; q < lanes && q < (VW); q++) out[(size_t)q * ldb + l] = t0[q];
                for (int q = (VW); q < lanes; q++) out[(size_t)q * ldb + l] = t1[q - (VW)];
            }
        }
    }
}

#undef LB
