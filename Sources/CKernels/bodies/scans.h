// Threshold scans (mf_first_at_least, mf_last_at_least in mf_ranking.h), one variant for all
// CPUs: eight entries compared per step with no branch inside the group, so the compiler turns
// each group into vector compares.
long MF_FN(mf_first_at_least)(const T *s, long n, T t) {
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        int any = 0;
        for (int j = 0; j < 8; j++) any |= s[i + j] >= t;
        if (any) break;
    }
    for (; i < n; i++)
        if (s[i] >= t) return i;
    return n;
}

long MF_FN(mf_last_at_least)(const T *s, long n, T t) {
    long i = n;
    for (; i >= 8; i -= 8) {
        int any = 0;
        for (int j = 1; j <= 8; j++) any |= s[i - j] >= t;
        if (any) break;
    }
    for (; i > 0; i--)
        if (s[i - 1] >= t) return i - 1;
    return -1;
}
