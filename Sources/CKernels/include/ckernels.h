// mftool's own C kernels, one header per area:
//   mf_isa.h        instruction-set variants and padded row lengths
//   mf_ridge.h      the per-user ridge solve: gather, Gram, Cholesky and solves
//   mf_products.h   products with the item matrix: sparse, dense, packed rows, row dots
//   mf_ranking.h    top-K selection: threshold scans, k-th largest, insertion, pair sorting
//   mf_quantized.h  the 8-bit candidate scan for ranking and its exact rescoring
//   mf_training.h   gradient training: Adam step and mini-batch gradient
//   mf_threads.h    thread placement
#ifndef MFTOOL_CKERNELS_H
#define MFTOOL_CKERNELS_H

#include "mf_isa.h"
#include "mf_products.h"
#include "mf_quantized.h"
#include "mf_ranking.h"
#include "mf_ridge.h"
#include "mf_threads.h"
#include "mf_training.h"

#endif
