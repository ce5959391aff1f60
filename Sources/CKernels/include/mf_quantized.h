// The quantized candidate scan for top-K ranking: items and users as 8-bit vectors whose integer
// dot products bound the real scores, the scan that keeps the items able to reach a user's
// floor, and the exact rescoring of those candidates.
#ifndef MFTOOL_CKERNELS_QUANTIZED_H
#define MFTOOL_CKERNELS_QUANTIZED_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Whether mf_i8_candidates has a fast variant on this CPU (AVX-512 VNNI).
int mf_i8_fast(void);

/// Packs n rows of w values (row-major, leading dimension ldv) as bytes round(v·inverseScale)
/// (clamped to ±127) plus 128, in groups of 16 items: group g's word c (values 4c..<4c+4 of
/// each item) is the 64 bytes at (g·k4 + c)·64. Items from n to 16·groups and values from w to
/// 4·k4 are zero (byte 128).
void mf_i8_pack_items(int n, int w, const double *V, int ldv, double inverseScale, int k4, int groups,
                      uint8_t *packed);

/// Quantizes each row to signed bytes q = round(x/scale[r]) with scale[r] = max|x|/127 (1 for a
/// zero row), 4·k4 bytes per row (zero beyond w); sum[r] = Σ q.
void mf_i8_quantize_rows(int rows, int w, const double *X, int ldx, int k4, int8_t *q, double *scale,
                         int32_t *sum);

/// For users r < nu (4·k4 signed bytes each at x) and the packed items of groups g0..<g1: when
/// Σ x_r·packed_i (packed bytes as unsigned) reaches thr[r], appends i to row r's candidates
/// (cand + r·stride, items ascending) while counts[r] < cap; counts[r] counts on past cap, which
/// flags an overflow. stride must be at least cap + 16. `fast` = 0 forces the portable variant.
void mf_i8_candidates(int fast, int k4, int nu, const int8_t *x, const uint8_t *packed, int g0, int g1,
                      const int32_t *thr, int32_t *cand, int stride, int cap, int32_t *counts);

/// For each user r < nu of a block whose floor is above −∞, whose candidates did not
/// overflow (counts[r] ≤ cap) and who has new ones past done[r]: row r of X (w values), its
/// candidates at cand + r·stride, its training row at train + trainStart[r] (trainCount[r]
/// entries; train may be NULL), its kept pairs at r·cap of scores/items: keeps the new
/// candidates below n and not in the training row, scores them as X[r]·V[i] + bias[i] (bias
/// may be NULL; the same summation order for every item) and appends those at or above
/// floors[r]. done[r], trainAt[r] and kept[r] advance. `isa` names the variant (mf_isa.h).
void mf_rescore_block_d(int isa, int nu, int w, const double *X, const double *V, const double *bias, int n, int32_t *cand,
                        int stride, const int32_t *counts, int cap, int32_t *done, const int32_t *train,
                        const int64_t *trainStart, const int32_t *trainCount, int32_t *trainAt, const double *floors,
                        double *scores, int32_t *items, int32_t *kept);
void mf_rescore_block_s(int isa, int nu, int w, const float *X, const float *V, const float *bias, int n, int32_t *cand,
                        int stride, const int32_t *counts, int cap, int32_t *done, const int32_t *train,
                        const int64_t *trainStart, const int32_t *trainCount, int32_t *trainAt, const float *floors,
                        double *scores, int32_t *items, int32_t *kept);

#ifdef __cplusplus
}
#endif

#endif
