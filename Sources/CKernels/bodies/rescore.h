// The exact rescoring of the quantized scan's candidates (mf_rescore_block in mf_quantized.h),
// one variant for all CPUs around the variant's dot products (`dot`, from its table).
//
// Needs MF_DOT_FN, the type of the dot products of T (mf_kernels.h).

// Keeps a user's real (below n), untrained candidates in place, scores them exactly and appends
// those at or above the floor to (scores, items); `*trainAt` walks the user's ascending training
// row across calls. Returns the new kept count.
static int MF_FN(rescore)(MF_DOT_FN *dot, int w, const T *x, const T *V, const T *bias, int n, int32_t *cand,
                          int count, const int32_t *train, int trainCount, int *trainAt, T floor, double *scores,
                          int32_t *items, int kept) {
    int p = *trainAt, fresh = 0;
    for (int t = 0; t < count; t++) {
        const int32_t i = cand[t];
        if (i >= n) break;
        while (p < trainCount && train[p] < i) p++;
        cand[fresh] = i;
        fresh += !(p < trainCount && train[p] == i);
    }
    *trainAt = p;
    double out[256];
    for (int c0 = 0; c0 < fresh; c0 += 256) {
        const int m = fresh - c0 < 256 ? fresh - c0 : 256;
        dot(w, x, V, w, cand + c0, m, out);
        for (int t = 0; t < m; t++) {
            const int32_t i = cand[c0 + t];
            const T score = (T)out[t] + (bias ? bias[i] : 0);
            scores[kept] = (double)score;
            items[kept] = i;
            kept += score >= floor;
        }
    }
    return kept;
}

// mf_rescore for every user of a block with new candidates (see mf_quantized.h).
void MF_FN(mf_rescore_block)(int isa, int nu, int w, const T *X, const T *V, const T *bias, int n, int32_t *cand,
                             int stride, const int32_t *counts, int cap, int32_t *done, const int32_t *train,
                             const int64_t *trainStart, const int32_t *trainCount, int32_t *trainAt, const T *floors,
                             double *scores, int32_t *items, int32_t *kept) {
    MF_DOT_FN *dot = mf_kernels(isa)->MF_FN(dot_rows);  // the table field of T: dot_rows_d or _s
    for (int r = 0; r < nu; r++) {
        if (!(floors[r] > -INFINITY) || counts[r] > cap || counts[r] <= done[r]) continue;
        int at = trainAt[r];
        kept[r] = MF_FN(rescore)(dot, w, X + (size_t)r * w, V, bias, n, cand + (size_t)r * stride + done[r],
                                 counts[r] - done[r], train ? train + trainStart[r] : 0, trainCount[r], &at, floors[r],
                                 scores + (size_t)r * cap, items + (size_t)r * cap, kept[r]);
        trainAt[r] = at;
        done[r] = counts[r];
    }
}
