// Gradient training's kernels (include/mf_training.h): PyTorch's Adam and SparseAdam updates and
// the loss and gradient of a mini-batch, each a call through the table of the variant asked for
// (mf_kernels.h). The bodies are bodies/adam.h (contraction into fused multiply-adds switched
// off, so every variant rounds as the scalar formula) and bodies/batch_gradient.h.
#include "mf_kernels.h"
#include "mf_training.h"

void mf_adam_step(int isa, long count, double *x, const double *g, double *m, double *v, double decay,
                  double beta1, double beta2, double epsilon, double stepSize, double root2) {
    mf_kernels(isa)->adam(count, x, g, m, v, decay, beta1, beta2, epsilon, stepSize, root2);
}

void mf_sparse_adam_step(int isa, int w, long count, const int32_t *rows, double *x, const double *g, double *m, double *v,
                         double beta1, double beta2, double epsilon, double stepSize) {
    mf_kernels(isa)->sparse_adam(w, count, rows, x, g, m, v, beta1, beta2, epsilon, stepSize);
}

double mf_batch_gradient(int isa, int w, int regularized, long count, const int64_t *order, const int32_t *rows,
                         const int32_t *cols, const double *targets, const double *shares, const double *X,
                         const double *V, double scale, double *G) {
    return mf_kernels(isa)->batch_gradient(w, regularized, count, order, rows, cols, targets, shares, X, V, scale, G);
}
