// Dense × dense (mf_dense_mm in mf_products.h): B[r] = Σ_i D[r][i]·V[i] for dense rows of D
// (doubles, converted to T), in register tiles of UB rows × up to NV vectors: each vector of V is
// loaded once per tile and used UB times. A tile runs over all n items in order, so its rows of D
// (read once, from memory) are long sequential streams that the hardware prefetcher follows,
// while V, read by every tile, stays in L2: the more rows a tile has, the fewer times V crosses
// from L2. Each entry of B is one chain of multiply-adds in item order, whatever the tile, so a
// row's result does not depend on the rows beside it. The items go two per step: unrolled
// further, the 6 × 4 tile of AVX-512 runs out of registers in builds that keep a frame pointer.
//
// Needs MF_DENSE_UB and MF_DENSE_NV (≤ 4), the tile's rows and vectors.
#define UB MF_DENSE_UB
#define NV MF_DENSE_NV

MF_INLINE void MF_FN(dense_mm_tile)(const int nu, const int nv, const int n, const double *restrict D, const int ldd,
                                    const T *restrict V, const int ldv, T *restrict B, const int ldb) {
    VT acc[UB][NV];
    for (int u = 0; u < nu; u++)
        for (int c = 0; c < nv; c++) acc[u][c] = 0;
#pragma clang loop unroll_count(2)
    for (int i = 0; i < n; i++) {
        const T *restrict v = V + (size_t)i * ldv;
        VT t[NV];
        for (int c = 0; c < nv; c++) t[c] = *(const VT *)(v + c * (VW));
        for (int u = 0; u < nu; u++) {
            const VT r = (VT)(T)D[(size_t)u * ldd + i];
            for (int c = 0; c < nv; c++) acc[u][c] += r * t[c];
        }
    }
    for (int u = 0; u < nu; u++)
        for (int c = 0; c < nv; c++) *(VT *)(B + (size_t)u * ldb + c * (VW)) = acc[u][c];
}

// Rows u0..<u0 + nu (nu a constant after inlining), every vector of B in groups of NV.
MF_INLINE void MF_FN(dense_mm_rows)(const int nu, const int kv, const int n, const double *restrict D, const int ldd,
                                    const T *restrict V, const int ldv, T *restrict B, const int ldb) {
    for (int c0 = 0; c0 < kv; c0 += NV) {
        const T *restrict v = V + c0 * (VW);
        T *restrict b = B + c0 * (VW);
        switch (kv - c0 < NV ? kv - c0 : NV) {
        case 4: MF_FN(dense_mm_tile)(nu, 4 <= NV ? 4 : 1, n, D, ldd, v, ldv, b, ldb); break;
        case 3: MF_FN(dense_mm_tile)(nu, 3 <= NV ? 3 : 1, n, D, ldd, v, ldv, b, ldb); break;
        case 2: MF_FN(dense_mm_tile)(nu, 2, n, D, ldd, v, ldv, b, ldb); break;
        default: MF_FN(dense_mm_tile)(nu, 1, n, D, ldd, v, ldv, b, ldb); break;
        }
    }
}

static void MF_FN(dense_mm)(int rows, int n, int k, const double *restrict D, int ldd, const T *restrict V, int ldv,
                            T *restrict B, int ldb) {
    const int kv = (k + (VW) - 1) / (VW);
    int u0 = 0;
    for (; u0 + UB <= rows; u0 += UB)
        MF_FN(dense_mm_rows)(UB, kv, n, D + (size_t)u0 * ldd, ldd, V, ldv, B + (size_t)u0 * ldb, ldb);
    // The rest in tiles of 3 rows (several FMA chains), then one at a time.
    for (; UB > 3 && u0 + 3 <= rows; u0 += 3)
        MF_FN(dense_mm_rows)(UB > 3 ? 3 : 1, kv, n, D + (size_t)u0 * ldd, ldd, V, ldv, B + (size_t)u0 * ldb, ldb);
    for (; u0 < rows; u0++)
        MF_FN(dense_mm_rows)(1, kv, n, D + (size_t)u0 * ldd, ldd, V, ldv, B + (size_t)u0 * ldb, ldb);
}

#undef UB
#undef NV
