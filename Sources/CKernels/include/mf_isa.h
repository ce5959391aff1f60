// The instruction-set variants of mftool's kernels and the padded row lengths they need.
//
// Matrices are row-major. Every kernel that takes an `isa` has portable, AVX2+FMA and AVX-512
// variants compiled from one source; each call names the variant (at most
// mf_kernel_best_isa(): the caller picks once per solve).
#ifndef MFTOOL_CKERNELS_ISA_H
#define MFTOOL_CKERNELS_ISA_H

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction sets the kernels have variants for.
enum { MF_ISA_PORTABLE = 0, MF_ISA_AVX2 = 1, MF_ISA_AVX512 = 2 };

/// The best variant this CPU supports.
int mf_kernel_best_isa(void);
/// The padded row length the Gram kernel of variant `isa` needs for k columns (a multiple of
/// its tile width).
int mf_kernel_padding(int isa, int k, int single);

/// k rounded up to whole vectors of the variant and to a multiple of 8: the shortest leading
/// dimension mf_spmm and mf_dense_mm accept (they read V's rows a vector at a time and need no
/// tiles of rows), and the shortest row length (ldx) mf_gram accepts.
int mf_kernel_vector_padding(int isa, int k, int single);

#ifdef __cplusplus
}
#endif

#endif
