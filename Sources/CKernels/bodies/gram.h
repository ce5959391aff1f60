// Gram: A = B + YᵀX (B = NULL: zero) in tiles of 8 rows × 2 vectors, each accumulated in
// registers (mf_gram in mf_ridge.h). The rows t come in chunks whose X and Y rows fit in L1
// together (MF_GRAM_L1 bytes), so the tiles after a chunk's first read it from L1; each tile
// starts from B on the first chunk and from A after it. B may equal A. X's and Y's rows are ldx
// apart, and A is computed for i, j < ldx: where ldx is an odd number of vectors, the last tiles
// of each row have one vector (`two` is loop-invariant).
#define MF_GRAM_L1 (24 * 1024)

// The tile of rows i0..<i0 + 8 × columns j0..<j0 + (two ? 2 : 1)·VW over rows t0..<t1 of X and
// Y (`two` a constant after inlining, so the one-vector tiles have a loop of their own).
MF_INLINE void MF_FN(gram_tile)(const int two, const int kp, const int ldx, const int t0, const int t1, const int i0,
                                const int j0, const T *restrict X, const T *restrict Y, const T *src, T *A) {
    VT a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
    VT a40 = 0, a41 = 0, a50 = 0, a51 = 0, a60 = 0, a61 = 0, a70 = 0, a71 = 0;
    if (src) {
        const T *g = src + (size_t)i0 * kp + j0;
        a00 = *(const VT *)(g + 0 * kp); a10 = *(const VT *)(g + 1 * kp);
        a20 = *(const VT *)(g + 2 * kp); a30 = *(const VT *)(g + 3 * kp);
        a40 = *(const VT *)(g + 4 * kp); a50 = *(const VT *)(g + 5 * kp);
        a60 = *(const VT *)(g + 6 * kp); a70 = *(const VT *)(g + 7 * kp);
        if (two) {
            g += (VW);
            a01 = *(const VT *)(g + 0 * kp); a11 = *(const VT *)(g + 1 * kp);
            a21 = *(const VT *)(g + 2 * kp); a31 = *(const VT *)(g + 3 * kp);
            a41 = *(const VT *)(g + 4 * kp); a51 = *(const VT *)(g + 5 * kp);
            a61 = *(const VT *)(g + 6 * kp); a71 = *(const VT *)(g + 7 * kp);
        }
    }
    const T *restrict x = X + (size_t)t0 * ldx + j0;
    const T *restrict y = Y + (size_t)t0 * ldx + i0;
    for (int t = t0; t < t1; t++, x += ldx, y += ldx) {
        const VT x0 = *(const VT *)x, x1 = two ? *(const VT *)(x + (VW)) : 0;
        VT s;
        s = (VT)y[0]; a00 += s * x0; if (two) a01 += s * x1;
        s = (VT)y[1]; a10 += s * x0; if (two) a11 += s * x1;
        s = (VT)y[2]; a20 += s * x0; if (two) a21 += s * x1;
        s = (VT)y[3]; a30 += s * x0; if (two) a31 += s * x1;
        s = (VT)y[4]; a40 += s * x0; if (two) a41 += s * x1;
        s = (VT)y[5]; a50 += s * x0; if (two) a51 += s * x1;
        s = (VT)y[6]; a60 += s * x0; if (two) a61 += s * x1;
        s = (VT)y[7]; a70 += s * x0; if (two) a71 += s * x1;
    }
    T *o = A + (size_t)i0 * kp + j0;
    *(VT *)(o + 0 * kp) = a00; *(VT *)(o + 1 * kp) = a10;
    *(VT *)(o + 2 * kp) = a20; *(VT *)(o + 3 * kp) = a30;
    *(VT *)(o + 4 * kp) = a40; *(VT *)(o + 5 * kp) = a50;
    *(VT *)(o + 6 * kp) = a60; *(VT *)(o + 7 * kp) = a70;
    if (two) {
        o += (VW);
        *(VT *)(o + 0 * kp) = a01; *(VT *)(o + 1 * kp) = a11;
        *(VT *)(o + 2 * kp) = a21; *(VT *)(o + 3 * kp) = a31;
        *(VT *)(o + 4 * kp) = a41; *(VT *)(o + 5 * kp) = a51;
        *(VT *)(o + 6 * kp) = a61; *(VT *)(o + 7 * kp) = a71;
    }
}

static void MF_FN(gram)(int kp, int ldx, int count, const T *restrict X, const T *restrict Y, const T *B, T *A) {
    if (!Y) Y = X;
    const int cw = 2 * (VW);
    int chunk = MF_GRAM_L1 / (int)((Y == X ? 1 : 2) * (size_t)ldx * sizeof(T));
    if (chunk < 8) chunk = 8;
    for (int t0 = 0; t0 < count || t0 == 0; t0 += chunk) {
        const int t1 = count - t0 < chunk ? count : t0 + chunk;
        const T *src = t0 == 0 ? B : A;
        for (int i0 = 0; i0 < ldx; i0 += 8) {
            for (int j0 = (i0 / cw) * cw; j0 < ldx; j0 += cw) {
                if (j0 + (VW) < ldx) MF_FN(gram_tile)(1, kp, ldx, t0, t1, i0, j0, X, Y, src, A);
                else MF_FN(gram_tile)(0, kp, ldx, t0, t1, i0, j0, X, Y, src, A);
            }
        }
    }
}

#undef MF_GRAM_L1
