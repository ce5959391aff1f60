// Top-K insertion into pairs kept sorted best first (mf_topk_insert in mf_ranking.h; score
// descending, item ascending; no element type, included once per variant): the pairs scoring
// above the new one are a prefix, counted by branch-free compares that vectorize; equal scores
// (rare) are stepped over while their items come first; the pairs below move down.
static int MF_FN(topk_insert)(double *restrict scores, int64_t *restrict items, int count, int capacity, double score,
                              int64_t item) {
    if (capacity <= 0) return 0;
    if (count >= capacity) {
        const double ws = scores[capacity - 1];
        if (!(score > ws || (score == ws && item < items[capacity - 1]))) return capacity;
        count = capacity;
    }
    int pos = 0;
    for (int j = 0; j < count; j++) pos += scores[j] > score;
    while (pos < count && scores[pos] == score && items[pos] < item) pos++;
    const int end = count < capacity ? count : capacity - 1;
    if (end > pos) {
        memmove(scores + pos + 1, scores + pos, (size_t)(end - pos) * sizeof(double));
        memmove(items + pos + 1, items + pos, (size_t)(end - pos) * sizeof(int64_t));
    }
    scores[pos] = score;
    items[pos] = item;
    return count < capacity ? count + 1 : capacity;
}
