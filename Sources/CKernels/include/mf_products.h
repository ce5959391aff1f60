// Products with the item matrix V: sparse rows times V (mf_spmm), dense rows times V
// (mf_dense_mm), V's rows copied into padded rows (mf_pack_rows), and one row's dot products
// with chosen rows of V (mf_row_dots). `isa` names the variant (mf_isa.h).
#ifndef MFTOOL_CKERNELS_PRODUCTS_H
#define MFTOOL_CKERNELS_PRODUCTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// B[u][0..<k] = Σ_p values[p]·V[indices[p]][0..<k] over CSR row u (rows 0..<rows; indptr as
/// given, not rebased). V's and B's leading dimensions must be multiples of the variant's vector
/// width covering k (mf_kernel_padding's value is), with V zero beyond k.
void mf_spmm_d(int isa, int rows, int k, int ldv, const int64_t *indptr, const int32_t *indices, const double *values,
               const double *V, double *B, int ldb);
void mf_spmm_s(int isa, int rows, int k, int ldv, const int64_t *indptr, const int32_t *indices, const double *values,
               const float *V, float *B, int ldb);

/// B[r][0..<k] = Σ_i D[r][i]·V[i][0..<k] for `rows` dense rows of D (row r at D + r·ldd, n
/// entries): the dense counterpart of mf_spmm for rows with most items present. Same padding
/// rules for V and B.
void mf_dense_mm_d(int isa, int rows, int n, int k, const double *D, int ldd, const double *V, int ldv, double *B, int ldb);
void mf_dense_mm_s(int isa, int rows, int n, int k, const double *D, int ldd, const float *V, int ldv, float *B, int ldb);

/// out[i] = V[i][0..<k] zero-padded to kp entries, for `count` rows of V (leading dimension ldv).
void mf_pack_rows_d(int k, int kp, int count, const double *V, int ldv, double *out);
void mf_pack_rows_s(int k, int kp, int count, const float *V, int ldv, float *out);

/// out[t] = x·V[items[t]] over w values (rows of V at leading dimension ldv), the same summation
/// order for every row; rows are prefetched ahead. (Implemented with the quantized scan's exact
/// rescoring, which uses the same dot products.)
void mf_row_dots_d(int isa, int w, const double *x, const double *V, int ldv, const int32_t *items, int count,
                   double *out);

#ifdef __cplusplus
}
#endif

#endif
