// Top-K selection (include/mf_ranking.h): threshold scans (bodies/scans.h, for doubles and
// floats), the k-th largest value and insertion into a sorted list (calls through the variant's
// table, mf_kernels.h), and selection of the best (score, item) pairs.
#include "mf_kernels.h"
#include "mf_ranking.h"

#include <stddef.h>

#define T double
#define MF_FN(name) name##_d
#include "bodies/scans.h"
#undef T
#undef MF_FN
#define T float
#define MF_FN(name) name##_s
#include "bodies/scans.h"
#undef T
#undef MF_FN

// The k-th largest value (AVX-512 only, bodies/avx512_ranking.h): without it the callers keep
// their heap.
int mf_kth_largest_d(const double *v, long n, int k, double *out) {
    const struct mf_kernel_table *kernels = mf_kernels(-1);
    return kernels->kth_largest_d ? kernels->kth_largest_d(v, n, k, out) : 0;
}
int mf_kth_largest_s(const float *v, long n, int k, float *out) {
    const struct mf_kernel_table *kernels = mf_kernels(-1);
    return kernels->kth_largest_s ? kernels->kth_largest_s(v, n, k, out) : 0;
}

// Top-K insertion (bodies/topk_insert.h), in the variant asked for.
int mf_topk_insert(int isa, double *scores, int64_t *items, int count, int capacity, double score, int64_t item) {
    return mf_kernels(isa)->topk_insert(scores, items, count, capacity, score, item);
}

// Selection of the best (score, item) pairs: quickselect around a median of three, then an
// insertion sort of the best for mf_sorted_best.
static inline int mf_pair_better(double sa, int32_t ia, double sb, int32_t ib) {
    return sa > sb || (sa == sb && ia < ib);
}

static void mf_sort_pairs(double *scores, int32_t *items, int count) {
    while (count > 16) {
        const int half = mf_select_best(scores, items, count, count / 2);
        mf_sort_pairs(scores + half, items + half, count - half);
        count = half;
    }
    for (int a = 1; a < count; a++) {
        const double s = scores[a];
        const int32_t it = items[a];
        int b = a;
        for (; b > 0 && mf_pair_better(s, it, scores[b - 1], items[b - 1]); b--) {
            scores[b] = scores[b - 1];
            items[b] = items[b - 1];
        }
        scores[b] = s;
        items[b] = it;
    }
}

int mf_sorted_best(double *scores, int32_t *items, int count, int k) {
    const int best = mf_select_best(scores, items, count, k);
    mf_sort_pairs(scores, items, best);
    return best;
}

int mf_select_best(double *scores, int32_t *items, int count, int k) {
    if (k >= count) return count;
    int lo = 0, hi = count - 1;
    while (lo < hi) {
        // Partition around the median of three: pairs better than the pivot first.
        const int mid = lo + (hi - lo) / 2;
        int a = lo, b = mid, c = hi, m;
        if (mf_pair_better(scores[a], items[a], scores[b], items[b])) { m = a; a = b; b = m; }
        if (mf_pair_better(scores[b], items[b], scores[c], items[c])) { m = b; b = c; c = m; }
        if (mf_pair_better(scores[a], items[a], scores[b], items[b])) { m = a; a = b; b = m; }
        const double ps = scores[b];
        const int32_t pi = items[b];
        int i = lo, j = hi;
        while (i <= j) {
            while (mf_pair_better(scores[i], items[i], ps, pi)) i++;
            while (mf_pair_better(ps, pi, scores[j], items[j])) j--;
            if (i <= j) {
                const double ts = scores[i]; scores[i] = scores[j]; scores[j] = ts;
                const int32_t ti = items[i]; items[i] = items[j]; items[j] = ti;
                i++;
                j--;
            }
        }
        if (k - 1 <= j) hi = j;
        else if (k - 1 >= i) lo = i;
        else break;
    }
    return k;
}
