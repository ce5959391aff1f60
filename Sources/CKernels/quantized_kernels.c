// Quantized scoring for top-K ranking (include/mf_quantized.h): 8-bit user and item vectors whose
// integer dot products bound the real scores, so that only the items that can reach a user's
// floor are scored exactly. AVX-512 VNNI multiplies 64 byte pairs per instruction, four times the
// pairs of a single-precision FMA. Also the exact dot products of mf_row_dots (mf_products.h).
#include "mf_products.h"
#include "mf_quantized.h"
#include "mf_simd.h"

#include <math.h>
#include <string.h>

#if MF_HAVE_X86_VARIANTS
#include <immintrin.h>
#define MF_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))
#endif

enum { MF_I8_TILE = 12, MF_I8_PANEL_GROUPS = 256 };

int mf_i8_fast(void) {
#if MF_HAVE_X86_VARIANTS
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vnni");
#else
    return 0;
#endif
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

// Fetches a row into cache; the dot products below fetch the row six candidates ahead (candidate
// rows are scattered through the item matrix).
static inline void mf_prefetch(const void *row, size_t bytes) {
    for (size_t b = 0; b < bytes; b += 64) __builtin_prefetch((const char *)row + b);
}

// Exact scores of a user's candidates (portable): L partial sums reduced as a tree, the same
// order for every item, so equal rows score equal.
#define MF_DOT_ROWS(NAME, T, L, ATTR)                                                             \
    ATTR static void NAME(int w, const T *x, const T *V, int ldv, const int32_t *items, int count, \
                          double *out) {                                                          \
        for (int t = 0; t < count; t++) {                                                         \
            const T *v = V + (size_t)items[t] * ldv;                                              \
            if (t + 6 < count) mf_prefetch(V + (size_t)items[t + 6] * ldv, (size_t)w * sizeof(T));  \
            T acc[L] = {0}, tail = 0;                                                             \
            int j = 0;                                                                            \
            for (; j + L <= w; j += L)                                                            \
                for (int l = 0; l < L; l++) acc[l] += x[j + l] * v[j + l];                        \
            for (; j < w; j++) tail += x[j] * v[j];                                               \
            for (int h = L / 2; h >= 1; h /= 2)                                                   \
                for (int l = 0; l < h; l++) acc[l] += acc[l + h];                                 \
            out[t] = (double)(acc[0] + tail);                                                     \
        }                                                                                         \
    }
MF_DOT_ROWS(mf_dot_rows_d_portable, double, 8, )
MF_DOT_ROWS(mf_dot_rows_s_portable, float, 16, )
#if MF_HAVE_X86_VARIANTS
// The AVX-512 variants: whole vectors, a masked tail, one reduction per row.
#define MF_DOT_ROWS_AVX512(NAME, T, L, VEC, SETZERO, LOADU, MASKZ_LOADU, FMADD, REDUCE)            \
    MF_AVX512 static void NAME(int w, const T *x, const T *V, int ldv, const int32_t *items, int count, \
                                   double *out) {                                                 \
        const int whole = w / L * L;                                                              \
        const unsigned tailMask = (1u << (w - whole)) - 1;                                        \
        for (int t = 0; t < count; t++) {                                                         \
            const T *v = V + (size_t)items[t] * ldv;                                              \
            if (t + 6 < count) mf_prefetch(V + (size_t)items[t + 6] * ldv, (size_t)w * sizeof(T));  \
            VEC acc = SETZERO();                                                                  \
            for (int j = 0; j < whole; j += L) acc = FMADD(LOADU(x + j), LOADU(v + j), acc);       \
            if (tailMask) acc = FMADD(MASKZ_LOADU(tailMask, x + whole), MASKZ_LOADU(tailMask, v + whole), acc); \
            out[t] = (double)REDUCE(acc);                                                         \
        }                                                                                         \
    }
MF_DOT_ROWS_AVX512(mf_dot_rows_d_avx512, double, 8, __m512d, _mm512_setzero_pd, _mm512_loadu_pd, _mm512_maskz_loadu_pd,
                   _mm512_fmadd_pd, _mm512_reduce_add_pd)
MF_DOT_ROWS_AVX512(mf_dot_rows_s_avx512, float, 16, __m512, _mm512_setzero_ps, _mm512_loadu_ps, _mm512_maskz_loadu_ps,
                   _mm512_fmadd_ps, _mm512_reduce_add_ps)
#endif

#if MF_HAVE_X86_VARIANTS
#define MF_DOT_ROWS_DISPATCH(NAME, T)                                                             \
    static void NAME(int isa, int w, const T *x, const T *V, int ldv, const int32_t *items, int count, double *out) { \
        if (isa >= MF_ISA_AVX512 && mf_kernel_best_isa() >= MF_ISA_AVX512)                        \
            NAME##_avx512(w, x, V, ldv, items, count, out);                                       \
        else                                                                                      \
            NAME##_portable(w, x, V, ldv, items, count, out);                                     \
    }
#else
#define MF_DOT_ROWS_DISPATCH(NAME, T)                                                             \
    static void NAME(int isa, int w, const T *x, const T *V, int ldv, const int32_t *items, int count, double *out) { \
        (void)isa;                                                                                \
        NAME##_portable(w, x, V, ldv, items, count, out);                                         \
    }
#endif
// out[t] = x·V[items[t]] over w values, the same summation order for every row.
MF_DOT_ROWS_DISPATCH(mf_dot_rows_d, double)
MF_DOT_ROWS_DISPATCH(mf_dot_rows_s, float)

void mf_row_dots_d(int isa, int w, const double *x, const double *V, int ldv, const int32_t *items, int count,
                   double *out) {
    mf_dot_rows_d(isa, w, x, V, ldv, items, count, out);
}

// Keeps a user's real (below n), untrained candidates in place, scores them exactly and appends
// those at or above the floor to (scores, items); `*trainAt` walks the user's ascending training
// row across calls. Returns the new kept count.
#define MF_RESCORE(NAME, T, DOT)                                                                  \
    static int NAME(int isa, int w, const T *x, const T *V, const T *bias, int n, int32_t *cand, int count, \
             const int32_t *train, int trainCount, int *trainAt, T floor, double *scores, int32_t *items, \
             int kept) {                                                                          \
        int p = *trainAt, fresh = 0;                                                              \
        for (int t = 0; t < count; t++) {                                                         \
            const int32_t i = cand[t];                                                            \
            if (i >= n) break;                                                                    \
            while (p < trainCount && train[p] < i) p++;                                           \
            cand[fresh] = i;                                                                      \
            fresh += !(p < trainCount && train[p] == i);                                          \
        }                                                                                         \
        *trainAt = p;                                                                             \
        double out[256];                                                                          \
        for (int c0 = 0; c0 < fresh; c0 += 256) {                                                 \
            const int m = fresh - c0 < 256 ? fresh - c0 : 256;                                    \
            DOT(isa, w, x, V, w, cand + c0, m, out);                                              \
            for (int t = 0; t < m; t++) {                                                         \
                const int32_t i = cand[c0 + t];                                                   \
                const T score = (T)out[t] + (bias ? bias[i] : 0);                                 \
                scores[kept] = (double)score;                                                     \
                items[kept] = i;                                                                  \
                kept += score >= floor;                                                           \
            }                                                                                     \
        }                                                                                         \
        return kept;                                                                              \
    }
MF_RESCORE(mf_rescore_d, double, mf_dot_rows_d)
MF_RESCORE(mf_rescore_s, float, mf_dot_rows_s)

// mf_rescore for every user of a block with new candidates (see mf_quantized.h).
#define MF_RESCORE_BLOCK(NAME, T, RESCORE)                                                        \
    void NAME(int isa, int nu, int w, const T *X, const T *V, const T *bias, int n, int32_t *cand, int stride,  \
              const int32_t *counts, int cap, int32_t *done, const int32_t *train, const int64_t *trainStart, \
              const int32_t *trainCount, int32_t *trainAt, const T *floors, double *scores, int32_t *items, \
              int32_t *kept) {                                                                    \
        for (int r = 0; r < nu; r++) {                                                            \
            if (!(floors[r] > -INFINITY) || counts[r] > cap || counts[r] <= done[r]) continue;    \
            int at = trainAt[r];                                                                  \
            kept[r] = RESCORE(isa, w, X + (size_t)r * w, V, bias, n, cand + (size_t)r * stride + done[r], \
                              counts[r] - done[r], train ? train + trainStart[r] : 0, trainCount[r], &at, floors[r], \
                              scores + (size_t)r * cap, items + (size_t)r * cap, kept[r]);        \
            trainAt[r] = at;                                                                      \
            done[r] = counts[r];                                                                  \
        }                                                                                         \
    }
MF_RESCORE_BLOCK(mf_rescore_block_d, double, mf_rescore_d)
MF_RESCORE_BLOCK(mf_rescore_block_s, float, mf_rescore_s)
