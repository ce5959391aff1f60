// The AVX-512 variant's own ranking kernels, written with intrinsics: the exact dot products
// (whole vectors, a masked tail, one reduction per row; mf_row_dots) and the k-th largest value
// (mf_kth_largest in mf_ranking.h).
//
// Needs the intrinsics of T: MF_512 (the vector type), MF_512_MASK, and MF_512_name for SETZERO,
// SET1, LOADU, MASKZ_LOADU, FMADD, REDUCE_ADD, MAX, CMP, REDUCE_MAX, MASKZ_COMPRESS, STOREU; they
// are undefined at the end, ready for the next element type.
#define L VW

static void MF_FN(dot_rows)(int w, const T *x, const T *V, int ldv, const int32_t *items, int count, double *out) {
    const int whole = w / L * L;
    const unsigned tailMask = (1u << (w - whole)) - 1;
    for (int t = 0; t < count; t++) {
        const T *v = V + (size_t)items[t] * ldv;
        if (t + 6 < count) mf_prefetch_row(V + (size_t)items[t + 6] * ldv, (size_t)w * sizeof(T));
        MF_512 acc = MF_512_SETZERO();
        for (int j = 0; j < whole; j += L) acc = MF_512_FMADD(MF_512_LOADU(x + j), MF_512_LOADU(v + j), acc);
        if (tailMask)
            acc = MF_512_FMADD(MF_512_MASKZ_LOADU(tailMask, x + whole), MF_512_MASKZ_LOADU(tailMask, v + whole), acc);
        out[t] = (double)MF_512_REDUCE_ADD(acc);
    }
}

// The k-th largest of buf[0..<count] (k ≤ count), by quickselect.
static T MF_FN(select_kth)(T *buf, int count, int k) {
    int lo = 0, hi = count - 1;
    const int target = k - 1; // position in descending order
    while (lo < hi) {
        const T pivot = buf[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (buf[i] > pivot) i++;
            while (buf[j] < pivot) j--;
            if (i <= j) { const T t = buf[i]; buf[i] = buf[j]; buf[j] = t; i++; j--; }
        }
        if (target <= j) hi = j;
        else if (target >= i) lo = i;
        else break;
    }
    return buf[target];
}

// The smallest of k chunk maxima, in *bound: at most the k-th largest, since k distinct entries
// reach it. Returns 0 on NaN.
MF_INLINE int MF_FN(kth_bound)(const T *v, long n, int k, T *bound) {
    const long chunk = n / k;
    T least = INFINITY;
    MF_512_MASK unordered = 0;
    for (int c = 0; c < k; c++) {
        const long a = c * chunk, b = c == k - 1 ? n : a + chunk;
        MF_512 m = MF_512_SET1(-INFINITY);
        long i = a;
        for (; i + L <= b; i += L) {
            const MF_512 x = MF_512_LOADU(v + i);
            unordered |= MF_512_CMP(x, x, _CMP_UNORD_Q);
            m = MF_512_MAX(m, x);
        }
        T top = MF_512_REDUCE_MAX(m);
        for (; i < b; i++) {
            if (v[i] != v[i]) return 0;
            if (v[i] > top) top = v[i];
        }
        if (top < least) least = top;
    }
    *bound = least;
    return !unordered;
}

// The k-th largest: that of the few entries at or above the bound, gathered by vector compress
// and selected exactly. Declines (returns 0) on NaN, on short rows or large k, and when more than
// MF_KTH_BUFFER entries reach the bound.
static int MF_FN(kth_largest)(const T *v, long n, int k, T *out) {
    if (k < 1 || k > 64 || n < 16L * k) return 0;
    T bound;
    if (!MF_FN(kth_bound)(v, n, k, &bound)) return 0;
    T buf[MF_KTH_BUFFER + L];
    int count = 0;
    const MF_512 t = MF_512_SET1(bound);
    long i = 0;
    for (; i + L <= n; i += L) {
        const MF_512 x = MF_512_LOADU(v + i);
        const MF_512_MASK m = MF_512_CMP(x, t, _CMP_GE_OQ);
        MF_512_STOREU(buf + count, MF_512_MASKZ_COMPRESS(m, x));
        count += __builtin_popcount((unsigned)m);
        if (count > MF_KTH_BUFFER) return 0;
    }
    for (; i < n; i++) {
        if (v[i] >= bound) {
            if (count == MF_KTH_BUFFER) return 0;
            buf[count++] = v[i];
        }
    }
    *out = MF_FN(select_kth)(buf, count, k);
    return 1;
}

#undef L
#undef MF_512
#undef MF_512_MASK
#undef MF_512_SETZERO
#undef MF_512_SET1
#undef MF_512_LOADU
#undef MF_512_MASKZ_LOADU
#undef MF_512_FMADD
#undef MF_512_REDUCE_ADD
#undef MF_512_MAX
#undef MF_512_CMP
#undef MF_512_REDUCE_MAX
#undef MF_512_MASKZ_COMPRESS
#undef MF_512_STOREU
