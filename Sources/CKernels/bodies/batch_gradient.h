// The observed loss on one mini-batch of stored entries and its gradient (mf_batch_gradient in
// mf_training.h), on doubles only (T = double): for each entry p of the batch (user u, item j),
// e = t_p − x_u·v_j, loss += e² + s_p‖x_u‖² over the regularized components, and
// g_u += −2·scale·e·v_j + 2·scale·s_p·x_u (the bias component, past `regularized`,
// unpenalized). Dot products use vector partial sums reduced in a fixed order.
static double MF_FN(batch_gradient)(int w, int regularized, long count, const int64_t *restrict order,
                                    const int32_t *restrict rows, const int32_t *restrict cols,
                                    const double *restrict targets, const double *restrict shares,
                                    const double *restrict X, const double *restrict V, double scale,
                                    double *restrict G) {
    double loss = 0;
    const int vectors = regularized / (VW) * (VW);
    for (long t = 0; t < count; t++) {
        const int64_t p = order[t];
        const double *restrict x = X + (size_t)rows[p] * w;
        const double *restrict v = V + (size_t)cols[p] * w;
        double *restrict g = G + (size_t)rows[p] * w;
        VT ap = 0, an = 0;
        for (int c = 0; c < vectors; c += (VW)) {
            const VT xv = *(const VT *)(x + c);
            ap += xv * *(const VT *)(v + c);
            an += xv * xv;
        }
        double prediction = SUM(ap), norm = SUM(an);
        for (int c = vectors; c < regularized; c++) { prediction += x[c] * v[c]; norm += x[c] * x[c]; }
        for (int c = regularized; c < w; c++) prediction += x[c] * v[c];
        const double e = targets[p] - prediction;
        const double share = shares[p];
        loss += e * e + share * norm;
        const double a = -2 * scale * e, b = 2 * scale * share;
        const VT av = (VT)a, bv = (VT)b;
        for (int c = 0; c < vectors; c += (VW)) *(VT *)(g + c) += av * *(const VT *)(v + c) + bv * *(const VT *)(x + c);
        for (int c = vectors; c < regularized; c++) g[c] += a * v[c] + b * x[c];
        for (int c = regularized; c < w; c++) g[c] += a * v[c];
    }
    return loss;
}
