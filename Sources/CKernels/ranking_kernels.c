// Top-K selection (include/mf_ranking.h): threshold scans, the k-th largest value, insertion into
// a sorted list, and selection of the best (score, item) pairs.
#include "mf_ranking.h"
#include "mf_simd.h"

#include <string.h>

// Threshold scans: eight entries compared per step with no branch inside the group, so the
// compiler turns each group into vector compares.
#define MF_SCANS(T, FIRST, LAST)                                                                  \
    long FIRST(const T *s, long n, T t) {                                                         \
        long i = 0;                                                                               \
        for (; i + 8 <= n; i += 8) {                                                              \
            int any = 0;                                                                          \
            for (int j = 0; j < 8; j++) any |= s[i + j] >= t;                                     \
            if (any) break;                                                                       \
        }                                                                                         \
        for (; i < n; i++)                                                                        \
            if (s[i] >= t) return i;                                                              \
        return n;                                                                                 \
    }                                                                                             \
    long LAST(const T *s, long n, T t) {                                                          \
        long i = n;                                                                               \
        for (; i >= 8; i -= 8) {                                                                  \
            int any = 0;                                                                          \
            for (int j = 1; j <= 8; j++) any |= s[i - j] >= t;                                    \
            if (any) break;                                                                       \
        }                                                                                         \
        for (; i > 0; i--)                                                                        \
            if (s[i - 1] >= t) return i - 1;                                                      \
        return -1;                                                                                \
    }

MF_SCANS(double, mf_first_at_least_d, mf_last_at_least_d)
MF_SCANS(float, mf_first_at_least_s, mf_last_at_least_s)

// The k-th largest value (AVX-512): the smallest of k chunk maxima is at most the k-th largest
// (k distinct entries reach it), so the k-th largest is that of the few entries at or above it,
// gathered by vector compress and selected exactly. Declines (returns 0) on NaN, on short rows
// or large k, and when too many entries reach the bound.
#if MF_HAVE_X86_VARIANTS
#include <immintrin.h>
#include <math.h>
enum { MF_KTH_BUFFER = 512 };

// The k-th largest of buf[0..<count] (k ≤ count), by quickselect.
#define MF_SELECT_KTH(NAME, T)                                                                    \
    static T NAME(T *buf, int count, int k) {                                                     \
        int lo = 0, hi = count - 1;                                                               \
        const int target = k - 1; /* position in descending order */                              \
        while (lo < hi) {                                                                         \
            const T pivot = buf[lo + (hi - lo) / 2];                                              \
            int i = lo, j = hi;                                                                   \
            while (i <= j) {                                                                      \
                while (buf[i] > pivot) i++;                                                       \
                while (buf[j] < pivot) j--;                                                       \
                if (i <= j) { const T t = buf[i]; buf[i] = buf[j]; buf[j] = t; i++; j--; }        \
            }                                                                                     \
            if (target <= j) hi = j;                                                              \
            else if (target >= i) lo = i;                                                         \
            else break;                                                                           \
        }                                                                                         \
        return buf[target];                                                                       \
    }
MF_SELECT_KTH(mf_select_kth_d, double)
MF_SELECT_KTH(mf_select_kth_s, float)

#define MF_KTH_LARGEST(NAME, T, L, VEC, MASK, SET1, LOADU, MAX, CMP, REDUCE_MAX, COMPRESS, STOREU, SELECT) \
    MF_AVX512 static int NAME##_avx512(const T *v, long n, int k, T *out) {                   \
        if (k < 1 || k > 64 || n < 16L * k) return 0;                                             \
        const long chunk = n / k;                                                                 \
        T bound = INFINITY;                                                                       \
        MASK unordered = 0;                                                                       \
        for (int c = 0; c < k; c++) {                                                             \
            const long a = c * chunk, b = c == k - 1 ? n : a + chunk;                             \
            VEC m = SET1(-INFINITY);                                                              \
            long i = a;                                                                           \
            for (; i + (L) <= b; i += (L)) {                                                      \
                const VEC x = LOADU(v + i);                                                       \
                unordered |= CMP(x, x, _CMP_UNORD_Q);                                             \
                m = MAX(m, x);                                                                    \
            }                                                                                     \
            T top = REDUCE_MAX(m);                                                                \
            for (; i < b; i++) {                                                                  \
                if (v[i] != v[i]) return 0;                                                       \
                if (v[i] > top) top = v[i];                                                       \
            }                                                                                     \
            if (top < bound) bound = top;                                                         \
        }                                                                                         \
        if (unordered) return 0;                                                                  \
        T buf[MF_KTH_BUFFER + (L)];                                                               \
        int count = 0;                                                                            \
        const VEC t = SET1(bound);                                                                \
        long i = 0;                                                                               \
        for (; i + (L) <= n; i += (L)) {                                                          \
            const VEC x = LOADU(v + i);                                                           \
            const MASK m = CMP(x, t, _CMP_GE_OQ);                                                 \
            STOREU(buf + count, COMPRESS(m, x));                                                  \
            count += __builtin_popcount((unsigned)m);                                             \
            if (count > MF_KTH_BUFFER) return 0;                                                  \
        }                                                                                         \
        for (; i < n; i++) {                                                                      \
            if (v[i] >= bound) {                                                                  \
                if (count == MF_KTH_BUFFER) return 0;                                             \
                buf[count++] = v[i];                                                              \
            }                                                                                     \
        }                                                                                         \
        *out = SELECT(buf, count, k);                                                             \
        return 1;                                                                                 \
    }
MF_KTH_LARGEST(mf_kth_largest_d, double, 8, __m512d, __mmask8, _mm512_set1_pd, _mm512_loadu_pd, _mm512_max_pd,
               _mm512_cmp_pd_mask, _mm512_reduce_max_pd, _mm512_maskz_compress_pd, _mm512_storeu_pd, mf_select_kth_d)
MF_KTH_LARGEST(mf_kth_largest_s, float, 16, __m512, __mmask16, _mm512_set1_ps, _mm512_loadu_ps, _mm512_max_ps,
               _mm512_cmp_ps_mask, _mm512_reduce_max_ps, _mm512_maskz_compress_ps, _mm512_storeu_ps, mf_select_kth_s)
#define MF_HAVE_KTH_AVX512 1
#else
#define MF_HAVE_KTH_AVX512 0
#endif

// Without AVX-512 the callers keep their heap.
#if MF_HAVE_KTH_AVX512
#define MF_KTH_DISPATCH(NAME, T)                                                                  \
    int NAME(const T *v, long n, int k, T *out) {                                                 \
        return mf_kernel_best_isa() >= MF_ISA_AVX512 ? NAME##_avx512(v, n, k, out) : 0;           \
    }
#else
#define MF_KTH_DISPATCH(NAME, T)                                                                  \
    int NAME(const T *v, long n, int k, T *out) { (void)v; (void)n; (void)k; (void)out; return 0; }
#endif
MF_KTH_DISPATCH(mf_kth_largest_d, double)
MF_KTH_DISPATCH(mf_kth_largest_s, float)

// Top-K insertion into pairs kept sorted best first (score descending, item ascending): the
// pairs scoring above the new one are a prefix, counted by branch-free compares that vectorize;
// equal scores (rare) are stepped over while their items come first; the pairs below move down.
#define MF_TOPK_INSERT(NAME, ATTR)                                                                \
    ATTR static int NAME(double *restrict scores, int64_t *restrict items, int count, int capacity, \
                         double score, int64_t item) {                                            \
        if (capacity <= 0) return 0;                                                              \
        if (count >= capacity) {                                                                  \
            const double ws = scores[capacity - 1];                                               \
            if (!(score > ws || (score == ws && item < items[capacity - 1]))) return capacity;    \
            count = capacity;                                                                     \
        }                                                                                         \
        int pos = 0;                                                                              \
        for (int j = 0; j < count; j++) pos += scores[j] > score;                                 \
        while (pos < count && scores[pos] == score && items[pos] < item) pos++;                   \
        const int end = count < capacity ? count : capacity - 1;                                  \
        if (end > pos) {                                                                          \
            memmove(scores + pos + 1, scores + pos, (size_t)(end - pos) * sizeof(double));        \
            memmove(items + pos + 1, items + pos, (size_t)(end - pos) * sizeof(int64_t));         \
        }                                                                                         \
        scores[pos] = score;                                                                      \
        items[pos] = item;                                                                        \
        return count < capacity ? count + 1 : capacity;                                           \
    }


MF_TOPK_INSERT(topk_insert_portable, )
#if MF_HAVE_X86_VARIANTS
MF_TOPK_INSERT(topk_insert_avx2, MF_AVX2)
MF_TOPK_INSERT(topk_insert_avx512, MF_AVX512)
#endif

int mf_topk_insert(int isa, double *scores, int64_t *items, int count, int capacity, double score, int64_t item) {
    MF_DISPATCH(topk_insert, scores, items, count, capacity, score, item)
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
