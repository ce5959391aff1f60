// Top-K selection over scores: threshold scans, the k-th largest value, insertion into a sorted
// top-K list, and selection and sorting of (score, item) pairs.
#ifndef MFTOOL_CKERNELS_RANKING_H
#define MFTOOL_CKERNELS_RANKING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The first index i < n with s[i] >= t (n when none), and the last (−1 when none): the
/// candidates a top-K selection must look at once its heap is full.
long mf_first_at_least_d(const double *s, long n, double t);
long mf_last_at_least_d(const double *s, long n, double t);
long mf_first_at_least_s(const float *s, long n, float t);
long mf_last_at_least_s(const float *s, long n, float t);

/// The k-th largest of v[0..<n] (counting repeats) in *out, returning 1; or 0 when this CPU,
/// the shape (k > 64, n < 16k) or the values (NaN, too many near the top) call for a heap.
int mf_kth_largest_d(const double *v, long n, int k, double *out);
int mf_kth_largest_s(const float *v, long n, int k, float *out);

/// Offers (score, item) to the `count` pairs kept sorted best first (score descending, ties by
/// item ascending), at most `capacity` of them; returns the new count. `isa` names the variant
/// (mf_isa.h).
int mf_topk_insert(int isa, double *scores, int64_t *items, int count, int capacity, double score, int64_t item);

/// Reorders the `count` (score, item) pairs so that the best k (score descending, ties by item
/// ascending) come first, in no particular order; returns min(k, count).
int mf_select_best(double *scores, int32_t *items, int count, int k);
/// mf_select_best, then the best min(k, count) sorted best first.
int mf_sorted_best(double *scores, int32_t *items, int count, int k);

#ifdef __cplusplus
}
#endif

#endif
