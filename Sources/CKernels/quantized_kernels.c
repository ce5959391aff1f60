// Quantized scoring for top-K ranking (include/mf_quantized.h): 8-bit user and item vectors whose
// integer dot products bound the real scores, so that only the items that can reach a user's
// floor are scored exactly. AVX-512 VNNI multiplies 64 byte pairs per instruction, four times the
// pairs of a single-precision FMA. Also the exact dot products of mf_row_dots (mf_products.h).
#include "mf_kernels.h"
#include "mf_products.h"
#include "mf_quantized.h"
#include "mf_simd.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#if MF_HAVE_X86_VARIANTS
#include <immintrin.h>
#define MF_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))
#endif

enum { MF_I8_TILE = 12, MF_I8_PANEL_GROUPS = 256 };

// Whether this CPU has AVX-512 VNNI, asked once per process.
static pthread_once_t mf_i8_once = PTHREAD_ONCE_INIT;
static int mf_i8_vnni;

static void mf_i8_detect(void) {
#if MF_HAVE_X86_VARIANTS
    __builtin_cpu_init();
    mf_i8_vnni = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                 __builtin_cpu_supports("avx512vnni");
#endif
}

int mf_i8_fast(void) {
    pthread_once(&mf_i8_once, mf_i8_detect);
    return mf_i8_vnni;
}

static inline int8_t mf_i8_round(double v) {
    double r = nearbyint(v);
    return (int8_t)(r > 127 ? 127 : r < -127 ? -127 : r);
}

void mf_i8_pack_items(int n, int w, const double *V, int ldv, double inverseScale, int k4, int groups,
                      uint8_t *packed) {
    for (int g = 0; g < groups; g++)
        for (int c = 0; c < k4; c++)
            for (int lane = 0; lane < 16; lane++)
                for (int b = 0; b < 4; b++) {
                    const int i = g * 16 + lane, j = c * 4 + b;
                    const int8_t q = i < n && j < w ? mf_i8_round(V[(size_t)i * ldv + j] * inverseScale) : 0;
                    packed[((size_t)g * k4 + c) * 64 + lane * 4 + b] = (uint8_t)(q + 128);
                }
}

void mf_i8_quantize_rows(int rows, int w, const double *X, int ldx, int k4, int8_t *q, double *scale,
                         int32_t *sum) {
    for (int r = 0; r < rows; r++) {
        const double *x = X + (size_t)r * ldx;
        double m = 0;
        for (int j = 0; j < w; j++) m = fmax(m, fabs(x[j]));
        const double s = m > 0 ? m / 127 : 1;
        int32_t total = 0;
        for (int j = 0; j < k4 * 4; j++) {
            const int8_t v = j < w ? mf_i8_round(x[j] / s) : 0;
            q[(size_t)r * k4 * 4 + j] = v;
            total += v;
        }
        scale[r] = s;
        sum[r] = total;
    }
}

// Appends to row r's candidates the items of one 16-item group whose sums (acc) reach thr; the
// count runs on past `cap` (which flags an overflow) while writes stay in bounds.
static inline void mf_i8_emit_portable(int32_t *cand, int32_t *count, int cap, int base, const int32_t *acc,
                                       int32_t thr) {
    for (int lane = 0; lane < 16; lane++)
        if (acc[lane] >= thr) {
            if (*count < cap) cand[*count] = base + lane;
            (*count)++;
        }
}

static void mf_i8_candidates_portable(int k4, int nu, const int8_t *x, const uint8_t *packed, int g0, int groups,
                                      const int32_t *thr, int32_t *cand, int stride, int cap, int32_t *counts) {
    for (int r = 0; r < nu; r++)
        for (int g = g0; g < groups; g++) {
            int32_t acc[16] = {0};
            for (int c = 0; c < k4; c++)
                for (int lane = 0; lane < 16; lane++)
                    for (int b = 0; b < 4; b++)
                        acc[lane] += (int32_t)packed[((size_t)g * k4 + c) * 64 + lane * 4 + b] *
                                     (int32_t)x[(size_t)r * k4 * 4 + c * 4 + b];
            mf_i8_emit_portable(cand + (size_t)r * stride, counts + r, cap, g * 16, acc, thr[r]);
        }
}

#if MF_HAVE_X86_VARIANTS
// One tile: MF_I8_TILE users (their 4-byte words at x, k4 per user) against the groups g0..<g1
// (an even count), two groups (32 items) per step: 24 accumulators and two item vectors in
// registers, the user words broadcast from memory.
MF_VNNI static void mf_i8_tile(int k4, const int32_t *x, const uint8_t *packed, int g0, int g1, const int32_t *thr,
                               int32_t *const *cand, int cap, int32_t *counts) {
    const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for (int g = g0; g < g1; g += 2) {
        __m512i acc[MF_I8_TILE][2];
#pragma clang loop unroll(full)
        for (int r = 0; r < MF_I8_TILE; r++) acc[r][0] = acc[r][1] = _mm512_setzero_si512();
        const uint8_t *p0 = packed + (size_t)g * k4 * 64, *p1 = p0 + (size_t)k4 * 64;
        for (int c = 0; c < k4; c++) {
            const __m512i v0 = _mm512_loadu_si512(p0 + (size_t)c * 64), v1 = _mm512_loadu_si512(p1 + (size_t)c * 64);
#pragma clang loop unroll(full)
            for (int r = 0; r < MF_I8_TILE; r++) {
                const __m512i xb = _mm512_set1_epi32(x[r * k4 + c]);
                acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], v0, xb);
                acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], v1, xb);
            }
        }
#pragma clang loop unroll(full)
        for (int r = 0; r < MF_I8_TILE; r++) {
            const __m512i t = _mm512_set1_epi32(thr[r]);
            for (int h = 0; h < 2; h++) {
                // Stored whether or not any lane passed (no branch to mispredict); only the
                // passing lanes count.
                const __mmask16 mask = _mm512_cmpge_epi32_mask(acc[r][h], t);
                const int n0 = counts[r], at = n0 < cap ? n0 : cap;
                const __m512i idx = _mm512_add_epi32(iota, _mm512_set1_epi32((g + h) * 16));
                _mm512_storeu_si512(cand[r] + at, _mm512_maskz_compress_epi32(mask, idx));
                counts[r] = n0 + __builtin_popcount(mask);
            }
        }
    }
}

MF_VNNI static void mf_i8_candidates_vnni(int k4, int nu, const int8_t *x, const uint8_t *packed, int g0, int groups,
                                          const int32_t *thr, int32_t *cand, int stride, int cap, int32_t *counts) {
    int32_t tailX[MF_I8_TILE * 64], tailThr[MF_I8_TILE], tileCounts[MF_I8_TILE], scratch[16];
    int32_t *rows[MF_I8_TILE];
    for (int p = g0; p < groups; p += MF_I8_PANEL_GROUPS) {
        const int p1 = p + MF_I8_PANEL_GROUPS < groups ? p + MF_I8_PANEL_GROUPS : groups;
        for (int r0 = 0; r0 < nu; r0 += MF_I8_TILE) {
            const int32_t *words = (const int32_t *)(x + (size_t)r0 * k4 * 4);
            const int32_t *t = thr + r0;
            const int live = nu - r0 < MF_I8_TILE ? nu - r0 : MF_I8_TILE;
            if (live < MF_I8_TILE) {
                // The last users: padded rows whose threshold no sum reaches, writing (nothing
                // that counts) to a scratch row.
                memcpy(tailX, words, (size_t)live * k4 * 4);
                memset(tailX + live * k4, 0, (size_t)(MF_I8_TILE - live) * k4 * 4);
                for (int r = 0; r < MF_I8_TILE; r++) tailThr[r] = r < live ? thr[r0 + r] : INT32_MAX;
                words = tailX;
                t = tailThr;
            }
            for (int r = 0; r < MF_I8_TILE; r++) {
                rows[r] = r < live ? cand + (size_t)(r0 + r) * stride : scratch;
                tileCounts[r] = r < live ? counts[r0 + r] : 0;
            }
            mf_i8_tile(k4, words, packed, p, p1, t, rows, cap, tileCounts);
            for (int r = 0; r < live; r++) counts[r0 + r] = tileCounts[r];
        }
    }
}
#endif

void mf_i8_candidates(int fast, int k4, int nu, const int8_t *x, const uint8_t *packed, int g0, int g1,
                      const int32_t *thr, int32_t *cand, int stride, int cap, int32_t *counts) {
#if MF_HAVE_X86_VARIANTS
    if (fast && k4 <= 64 && g0 % 2 == 0 && g1 % 2 == 0 && mf_i8_fast()) {
        mf_i8_candidates_vnni(k4, nu, x, packed, g0, g1, thr, cand, stride, cap, counts);
        return;
    }
#endif
    mf_i8_candidates_portable(k4, nu, x, packed, g0, g1, thr, cand, stride, cap, counts);
}

// The portable row dot products (bodies/dot_rows.h), which the portable and AVX2 tables name.
#define T double
#define MF_FN(name) name##_d_portable
#define MF_DOT_LANES 8
#include "bodies/dot_rows.h"
#undef T
#undef MF_FN
#undef MF_DOT_LANES
#define T float
#define MF_FN(name) name##_s_portable
#define MF_DOT_LANES 16
#include "bodies/dot_rows.h"
#undef T
#undef MF_FN
#undef MF_DOT_LANES

void mf_row_dots_d(int isa, int w, const double *x, const double *V, int ldv, const int32_t *items, int count,
                   double *out) {
    mf_kernels(isa)->dot_rows_d(w, x, V, ldv, items, count, out);
}

// The exact rescoring (bodies/rescore.h), for doubles and floats.
#define T double
#define MF_FN(name) name##_d
#define MF_DOT_FN mf_dot_rows_d_fn
#include "bodies/rescore.h"
#undef T
#undef MF_FN
#undef MF_DOT_FN
#define T float
#define MF_FN(name) name##_s
#define MF_DOT_FN mf_dot_rows_s_fn
#include "bodies/rescore.h"
#undef T
#undef MF_FN
#undef MF_DOT_FN
