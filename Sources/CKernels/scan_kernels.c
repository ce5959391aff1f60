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
