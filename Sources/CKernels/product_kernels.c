// Products with the item matrix (include/mf_products.h): sparse and dense rows times V, each a
// call through the table of the variant asked for (mf_kernels.h; the bodies are bodies/spmm.h
// and bodies/dense_mm.h), and the copy into padded rows. mf_row_dots lives with the quantized
// scan's rescoring (quantized_kernels.c), which shares its dot products.
#include "mf_kernels.h"
#include "mf_products.h"

#include <stddef.h>

void mf_spmm_d(int isa, int rows, int k, int ldv, const int64_t *indptr, const int32_t *indices, const double *values,
               const double *V, double *B, int ldb) {
    mf_kernels(isa)->spmm_d(rows, k, ldv, indptr, indices, values, V, B, ldb);
}
void mf_spmm_s(int isa, int rows, int k, int ldv, const int64_t *indptr, const int32_t *indices, const double *values,
               const float *V, float *B, int ldb) {
    mf_kernels(isa)->spmm_s(rows, k, ldv, indptr, indices, values, V, B, ldb);
}
void mf_dense_mm_d(int isa, int rows, int n, int k, const double *D, int ldd, const double *V, int ldv, double *B, int ldb) {
    mf_kernels(isa)->dense_mm_d(rows, n, k, D, ldd, V, ldv, B, ldb);
}
void mf_dense_mm_s(int isa, int rows, int n, int k, const double *D, int ldd, const float *V, int ldv, float *B, int ldb) {
    mf_kernels(isa)->dense_mm_s(rows, n, k, D, ldd, V, ldv, B, ldb);
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
