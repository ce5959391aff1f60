// Gradient training: PyTorch's Adam and SparseAdam steps and the loss and gradient of one
// mini-batch. `isa` names the variant (mf_isa.h).
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

/// torch.optim.SparseAdam's step on the `count` rows `rows[s]` (of width `w`) of x, m and v from
/// the rows s of g (each row listed once), in PyTorch's operation order, no fused multiply-adds:
/// Δm = (g − m)·(1 − β1); Δv = (g² − v)·(1 − β2); m += Δm; v += Δv;
/// x −= stepSize·((Δm + m_old) / (√(Δv + v_old) + ε)). Every other row is left as it is.
void mf_sparse_adam_step(int isa, int w, long count, const int32_t *rows, double *x, const double *g, double *m, double *v,
                         double beta1, double beta2, double epsilon, double stepSize);

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
