// The seed problem's R·V product (500 × 1,000 dense rows, k = 50 padded to 56, double) by
// mftool's dense kernel on one core: best and mean of 200 runs, for the rows-per-call given on
// the command line. V is laid out as mftool's dense solve lays it out (rows padded to whole
// vectors, cache-line aligned). Built and run by tools/dense_kernel_bench.sh.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "ckernels.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    const int m = 500, n = 1000, k = 50;
    const int isa = mf_kernel_best_isa(), kp = mf_kernel_padding(isa, k, 0), kv = mf_kernel_vector_padding(isa, k, 0);
    const int rows = argc > 1 ? atoi(argv[1]) : m;
    double *D = malloc(sizeof(double) * m * n), *V = aligned_alloc(64, sizeof(double) * (size_t)n * kv), *B = calloc((size_t)m * kp, sizeof(double));
    srand(1);
    for (int i = 0; i < m * n; i++) D[i] = rand() / (double)RAND_MAX;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < kv; c++) V[i * kv + c] = c < k ? rand() / (double)RAND_MAX : 0;
    double best = 1e9, total = 0;
    for (int rep = 0; rep < 200; rep++) {
        double t = now();
        for (int u = 0; u < m; u += rows) {
            int r = m - u < rows ? m - u : rows;
            mf_dense_mm_d(isa, r, n, k, D + (size_t)u * n, n, V, kv, B + (size_t)u * kp, kp);
        }
        t = now() - t;
        if (t < best) best = t;
        total += t;
    }
    printf("mftool dense kernel (isa %d), %d rows per call: best %.3f ms, %.1f GFLOP/s; mean %.3f ms (useful flops, k = %d)\n",
           isa, rows, best * 1e3, 2.0 * m * n * k / best / 1e9, total / 200 * 1e3, k);
    free(D); free(V); free(B);
    return 0;
}
