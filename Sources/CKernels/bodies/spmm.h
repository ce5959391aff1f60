// Sparse × dense (mf_spmm in mf_products.h): B[u] = Σ_p values[p]·V[indices[p]] over row u's
// entries, for rows of V and B padded to whole vectors (ldv, ldb multiples of VW covering k).
// Each row accumulates up to MF_SPMM_MAXV (≤ 8) vectors of columns in registers per pass over
// its entries.

// One pass over a row's nonzeros for nv (≤ 8, a constant after inlining) vectors of B, two
// nonzeros per step into two accumulator sets, so the FMA latency chains interleave.
MF_INLINE void MF_FN(spmm_chunk)(const int nv, int64_t p, const int64_t end, const int32_t *restrict indices,
                                 const double *restrict values, const T *restrict V, const int ldv, T *restrict b) {
    VT a[8], c[8];
    for (int i = 0; i < nv; i++) { a[i] = 0; c[i] = 0; }
    for (; p + 1 < end; p += 2) {
        const T *restrict v = V + (size_t)indices[p] * ldv;
        const T *restrict w = V + (size_t)indices[p + 1] * ldv;
        const VT r = (VT)(T)values[p], s = (VT)(T)values[p + 1];
        for (int i = 0; i < nv; i++) {
            a[i] += r * *(const VT *)(v + i * (VW));
            c[i] += s * *(const VT *)(w + i * (VW));
        }
    }
    if (p < end) {
        const T *restrict v = V + (size_t)indices[p] * ldv;
        const VT r = (VT)(T)values[p];
        for (int i = 0; i < nv; i++) a[i] += r * *(const VT *)(v + i * (VW));
    }
    for (int i = 0; i < nv; i++) *(VT *)(b + i * (VW)) = a[i] + c[i];
}

static void MF_FN(spmm)(int rows, int k, int ldv, const int64_t *restrict indptr, const int32_t *restrict indices,
                        const double *restrict values, const T *restrict V, T *restrict B, int ldb) {
    const int kv = (k + (VW) - 1) / (VW);
    for (int u = 0; u < rows; u++) {
        T *restrict b = B + (size_t)u * ldb;
        const int64_t p0 = indptr[u], p1 = indptr[u + 1];
        for (int c0 = 0; c0 < kv; c0 += (MF_SPMM_MAXV)) {
            const int n = kv - c0 < (MF_SPMM_MAXV) ? kv - c0 : (MF_SPMM_MAXV);
            const T *restrict v = V + c0 * (VW);
            T *restrict bc = b + c0 * (VW);
            switch (n) {
            case 8: MF_FN(spmm_chunk)(8, p0, p1, indices, values, v, ldv, bc); break;
            case 7: MF_FN(spmm_chunk)(7, p0, p1, indices, values, v, ldv, bc); break;
            case 6: MF_FN(spmm_chunk)(6, p0, p1, indices, values, v, ldv, bc); break;
            case 5: MF_FN(spmm_chunk)(5, p0, p1, indices, values, v, ldv, bc); break;
            case 4: MF_FN(spmm_chunk)(4, p0, p1, indices, values, v, ldv, bc); break;
            case 3: MF_FN(spmm_chunk)(3, p0, p1, indices, values, v, ldv, bc); break;
            case 2: MF_FN(spmm_chunk)(2, p0, p1, indices, values, v, ldv, bc); break;
            default: MF_FN(spmm_chunk)(1, p0, p1, indices, values, v, ldv, bc); break;
            }
        }
    }
}
