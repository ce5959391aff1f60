// Threshold scans for top-K selection (see include/ckernels.h): eight entries compared per step
// with no branch inside the group, so the compiler turns each group into vector compares.
#include "ckernels.h"

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
#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#include <math.h>
#define MF_KTH_AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,avx2,fma")))
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
    MF_KTH_AVX512 static int NAME##_avx512(const T *v, long n, int k, T *out) {                   \
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
