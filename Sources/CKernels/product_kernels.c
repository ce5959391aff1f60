// Products with the item matrix (include/mf_products.h): sparse and dense rows times V,
// instantiated for each variant (mf_simd.h), and the copy into padded rows. mf_row_dots lives
// with the quantized scan's rescoring (quantized_kernels.c), which shares its dot products.
#include "mf_products.h"
#include "mf_simd.h"

#include <stddef.h>

// MARK: Templates

// Sparse × dense: B[u] = Σ_p values[p]·V[indices[p]] over row u's entries, for rows of V and B
// padded to whole vectors (ldv, ldb multiples of VW covering k). Each row accumulates up to four
// vectors of columns in registers per pass over its entries.
#define MF_SPMM(NAME, T, VT, VW, MAXV, ATTR)                                                      \
    /* One pass over a row's nonzeros for nv (≤ 8, a constant after inlining) vectors of B,    */ \
    /* two nonzeros per step into two accumulator sets, so the FMA latency chains interleave. */ \
    ATTR static inline __attribute__((always_inline)) void NAME##_chunk(                          \
        const int nv, int64_t p, const int64_t end, const int32_t *restrict indices,              \
        const double *restrict values, const T *restrict V, const int ldv, T *restrict b) {       \
        VT a[8], c[8];                                                                            \
        for (int i = 0; i < nv; i++) { a[i] = 0; c[i] = 0; }                                      \
        for (; p + 1 < end; p += 2) {                                                             \
            const T *restrict v = V + (size_t)indices[p] * ldv;                                   \
            const T *restrict w = V + (size_t)indices[p + 1] * ldv;                               \
            const VT r = (VT)(T)values[p], s = (VT)(T)values[p + 1];                              \
            for (int i = 0; i < nv; i++) {                                                        \
                a[i] += r * *(const VT *)(v + i * (VW));                                          \
                c[i] += s * *(const VT *)(w + i * (VW));                                          \
            }                                                                                     \
        }                                                                                         \
        if (p < end) {                                                                            \
            const T *restrict v = V + (size_t)indices[p] * ldv;                                   \
            const VT r = (VT)(T)values[p];                                                        \
            for (int i = 0; i < nv; i++) a[i] += r * *(const VT *)(v + i * (VW));                 \
        }                                                                                         \
        for (int i = 0; i < nv; i++) *(VT *)(b + i * (VW)) = a[i] + c[i];                         \
    }                                                                                             \
    ATTR static void NAME(int rows, int k, int ldv, const int64_t *restrict indptr,               \
                          const int32_t *restrict indices, const double *restrict values,        \
                          const T *restrict V, T *restrict B, int ldb) {                          \
        const int kv = (k + (VW) - 1) / (VW);                                                     \
        for (int u = 0; u < rows; u++) {                                                          \
            T *restrict b = B + (size_t)u * ldb;                                                  \
            const int64_t p0 = indptr[u], p1 = indptr[u + 1];                                     \
            for (int c0 = 0; c0 < kv; c0 += (MAXV)) {                                             \
                const int n = kv - c0 < (MAXV) ? kv - c0 : (MAXV);                                \
                const T *restrict v = V + c0 * (VW);                                              \
                T *restrict bc = b + c0 * (VW);                                                   \
                switch (n) {                                                                      \
                case 8: NAME##_chunk(8, p0, p1, indices, values, v, ldv, bc); break;              \
                case 7: NAME##_chunk(7, p0, p1, indices, values, v, ldv, bc); break;              \
                case 6: NAME##_chunk(6, p0, p1, indices, values, v, ldv, bc); break;              \
                case 5: NAME##_chunk(5, p0, p1, indices, values, v, ldv, bc); break;              \
                case 4: NAME##_chunk(4, p0, p1, indices, values, v, ldv, bc); break;              \
                case 3: NAME##_chunk(3, p0, p1, indices, values, v, ldv, bc); break;              \
                case 2: NAME##_chunk(2, p0, p1, indices, values, v, ldv, bc); break;              \
                default: NAME##_chunk(1, p0, p1, indices, values, v, ldv, bc); break;             \
                }                                                                                 \
            }                                                                                     \
        }                                                                                         \
    }

// Dense × dense: B[r] = Σ_i D[r][i]·V[i] for dense rows of D (doubles, converted to T), in
// register tiles of UB rows × up to NV vectors: each vector of V is loaded once per tile and
// used UB times. A tile runs over all n items in order, so its rows of D (read once, from
// memory) are long sequential streams that the hardware prefetcher follows, while V, read by
// every tile, stays in L2: the more rows a tile has, the fewer times V crosses from L2. Each
// entry of B is one chain of multiply-adds in item order, whatever the tile, so a row's result
// does not depend on the rows beside it. The items go two per step: unrolled further, the
// 6 × 4 tile of AVX-512 runs out of registers in builds that keep a frame pointer.
#define MF_DENSE_MM(NAME, T, VT, VW, UB, NV, ATTR)                                                \
    ATTR static inline __attribute__((always_inline)) void NAME##_tile(                           \
        const int nu, const int nv, const int n, const double *restrict D, const int ldd,         \
        const T *restrict V, const int ldv, T *restrict B, const int ldb) {                       \
        VT acc[UB][NV];                                                                           \
        for (int u = 0; u < nu; u++)                                                              \
            for (int c = 0; c < nv; c++) acc[u][c] = 0;                                           \
        _Pragma("clang loop unroll_count(2)")                                                     \
        for (int i = 0; i < n; i++) {                                                             \
            const T *restrict v = V + (size_t)i * ldv;                                            \
            VT t[NV];                                                                             \
            for (int c = 0; c < nv; c++) t[c] = *(const VT *)(v + c * (VW));                      \
            for (int u = 0; u < nu; u++) {                                                        \
                const VT r = (VT)(T)D[(size_t)u * ldd + i];                                       \
                for (int c = 0; c < nv; c++) acc[u][c] += r * t[c];                               \
            }                                                                                     \
        }                                                                                         \
        for (int u = 0; u < nu; u++)                                                              \
            for (int c = 0; c < nv; c++) *(VT *)(B + (size_t)u * ldb + c * (VW)) = acc[u][c];     \
    }                                                                                             \
    /* Rows u0..<u0 + nu (nu a constant after inlining), every vector of B in groups of NV. */   \
    ATTR static inline __attribute__((always_inline)) void NAME##_rows(                           \
        const int nu, const int kv, const int n, const double *restrict D, const int ldd,         \
        const T *restrict V, const int ldv, T *restrict B, const int ldb) {                       \
        for (int c0 = 0; c0 < kv; c0 += (NV)) {                                                   \
            const T *restrict v = V + c0 * (VW);                                                  \
            T *restrict b = B + c0 * (VW);                                                        \
            switch (kv - c0 < (NV) ? kv - c0 : (NV)) {                                            \
            case 4: NAME##_tile(nu, 4 <= (NV) ? 4 : 1, n, D, ldd, v, ldv, b, ldb); break;         \
            case 3: NAME##_tile(nu, 3 <= (NV) ? 3 : 1, n, D, ldd, v, ldv, b, ldb); break;         \
            case 2: NAME##_tile(nu, 2, n, D, ldd, v, ldv, b, ldb); break;                         \
            default: NAME##_tile(nu, 1, n, D, ldd, v, ldv, b, ldb); break;                        \
            }                                                                                     \
        }                                                                                         \
    }                                                                                             \
    ATTR static void NAME(int rows, int n, int k, const double *restrict D, int ldd,             \
                          const T *restrict V, int ldv, T *restrict B, int ldb) {                 \
        const int kv = (k + (VW) - 1) / (VW);                                                     \
        int u0 = 0;                                                                               \
        for (; u0 + (UB) <= rows; u0 += (UB))                                                     \
            NAME##_rows(UB, kv, n, D + (size_t)u0 * ldd, ldd, V, ldv, B + (size_t)u0 * ldb, ldb);     \
        /* The rest in tiles of 3 rows (several FMA chains), then one at a time. */              \
        for (; (UB) > 3 && u0 + 3 <= rows; u0 += 3)                                               \
            NAME##_rows((UB) > 3 ? 3 : 1, kv, n, D + (size_t)u0 * ldd, ldd, V, ldv, B + (size_t)u0 * ldb, ldb);    \
        for (; u0 < rows; u0++)                                                                   \
            NAME##_rows(1, kv, n, D + (size_t)u0 * ldd, ldd, V, ldv, B + (size_t)u0 * ldb, ldb);      \
    }

#define MF_VARIANTS(SUFFIX, ATTR, DV, DW, DMAX, FV, FW, FMAX, DUB, DNV)                         \
    MF_SPMM(spmm_d_##SUFFIX, double, DV, DW, DMAX, ATTR)                                          \
    MF_SPMM(spmm_s_##SUFFIX, float, FV, FW, FMAX, ATTR)                                           \
    MF_DENSE_MM(dense_mm_d_##SUFFIX, double, DV, DW, DUB, DNV, ATTR)                              \
    MF_DENSE_MM(dense_mm_s_##SUFFIX, float, FV, FW, DUB, DNV, ATTR)

MF_VARIANTS(portable, , mf_d2, 2, 4, mf_f4, 4, 4, 3, 3)
#if MF_HAVE_X86_VARIANTS
MF_VARIANTS(avx2, MF_AVX2, mf_d4, 4, 6, mf_f8, 8, 6, 3, 3)
MF_VARIANTS(avx512, MF_AVX512, mf_d8, 8, 8, mf_f16, 16, 8, 6, 4)
#endif

// MARK: Dispatch

void mf_spmm_d(int isa, int rows, int k, int ldv, const int64_t *indptr, const int32_t *indices, const double *values,
               const double *V, double *B, int ldb) {
    MF_DISPATCH(spmm_d, rows, k, ldv, indptr, indices, values, V, B, ldb)
}
void mf_spmm_s(int isa, int rows, int k, int ldv, const int64_t *indptr, const int32_t *indices, const double *values,
               const float *V, float *B, int ldb) {
    MF_DISPATCH(spmm_s, rows, k, ldv, indptr, indices, values, V, B, ldb)
}
void mf_dense_mm_d(int isa, int rows, int n, int k, const double *D, int ldd, const double *V, int ldv, double *B, int ldb) {
    MF_DISPATCH(dense_mm_d, rows, n, k, D, ldd, V, ldv, B, ldb)
}
void mf_dense_mm_s(int isa, int rows, int n, int k, const double *D, int ldd, const float *V, int ldv, float *B, int ldb) {
    MF_DISPATCH(dense_mm_s, rows, n, k, D, ldd, V, ldv, B, ldb)
}
void mf_pack_rows_d(int k, int kp, int count, const double *V, int ldv, double *out) {
    for (int i = 0; i < count; i++) {
        for (int c = 0; c < k; c++) out[(size_t)i * kp + c] = V[(size_t)i * ldv + c];
        for (int c = k; c < kp; c++) out[(size_t)i * kp + c] = 0;
    }
}
void mf_pack_rows_s(int k, int kp, int count, const float *V, int ldv, float *out) {
    for (int i = 0; i < count; i++) {
        for (int c = 0; c < k; c++) out[(size_t)i * kp + c] = V[(size_t)i * ldv + c];
        for (int c = k; c < kp; c++) out[(size_t)i * kp + c] = 0;
    }
}
