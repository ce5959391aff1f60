#ifndef MFTOOL_CLINEARALGEBRA_SHIM_H
#define MFTOOL_CLINEARALGEBRA_SHIM_H
// CBLAS and LAPACKE, as Debian's libopenblas-dev and liblapacke-dev install them.
#include <cblas.h>
#include <lapacke.h>

// OpenBLAS's own thread control; netlib's cblas.h does not declare it.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
