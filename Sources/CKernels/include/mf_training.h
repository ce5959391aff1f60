// Gradient training: PyTorch's Adam step and the loss and gradient of one mini-batch. `isa`
// names the variant (mf_isa.h).
#ifndef MFTOOL_CKERNELS_TRAINING_H
#define MFTOOL_CKERNELS_TRAINING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// PyTorch's Adam step on `count` parameters (torch.optim.Adam's formula, no fused multiply-adds):
/// d = g + decay·x; m = β1·m + (1−β1)·d; v = β2·v + (1−β2)·d²; x −= stepSize·m / (√v / root2 + ε).
void mf_adam_step(int isa, long count, double *x, const double *g, double *m, double *v, double decay,
                  double beta1, double beta2, double epsilon, double stepSize, double root2);

/// The observed loss of one mini-batch (entries order[0..<count]) and its gradient added to G:
/// e = t_p − x_u·v_j; loss += e² + s_p‖x_u‖² (components below `regularized`); g_u += −2·scale·e·v_j
/// + 2·scale·s_p·x_u (the components past `regularized`, a user bias, without the penalty).
double mf_batch_gradient(int isa, int w, int regularized, long count, const int64_t *order, const int32_t *rows,
                         const int32_t *cols, const double *targets, const double *shares, const double *X,
                         const double *V, double scale, double *G);

#ifdef __cplusplus
}
#endif

#endif
