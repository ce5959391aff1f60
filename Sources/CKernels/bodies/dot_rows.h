// Exact scores of a user's candidates, portable (mf_row_dots in mf_products.h, the quantized
// rescoring): out[t] = x·V[items[t]] over w values in L partial sums reduced as a tree, the same
// order for every item, so equal rows score equal. Each row is fetched six candidates ahead
// (candidate rows are scattered through the item matrix). Not static: the AVX2 variant uses this
// one too.
//
// Needs MF_DOT_LANES, the partial sums L.
#define L MF_DOT_LANES

void MF_FN(mf_dot_rows)(int w, const T *x, const T *V, int ldv, const int32_t *items, int count, double *out) {
    for (int t = 0; t < count; t++) {
        const T *v = V + (size_t)items[t] * ldv;
        if (t + 6 < count) mf_prefetch_row(V + (size_t)items[t + 6] * ldv, (size_t)w * sizeof(T));
        T acc[L] = {0}, tail = 0;
        int j = 0;
        for (; j + L <= w; j += L)
            for (int l = 0; l < L; l++) acc[l] += x[j + l] * v[j + l];
        for (; j < w; j++) tail += x[j] * v[j];
        for (int h = L / 2; h >= 1; h /= 2)
            for (int l = 0; l < h; l++) acc[l] += acc[l + h];
        out[t] = (double)(acc[0] + tail);
    }
}

#undef L
