/*
 * conv_small.cl - forward and weight gradient of NHWC convolutions with few output channels and few
 * taps x input channels (LeNet's first layer: 5x5 x 1 -> 6), where the general register-blocked
 * kernel wastes most of its 16-lane vectors. A stop-gap beside conv.cl, to be folded into it.
 *
 * Parameters (-D; defaults are LeNet's first layer so the file builds alone): KH, KW (kernel, 5),
 *   CIN (input channels, 1), COUT (output channels, 6;
 *   <= 8), SH, SW (stride, 1), PT, PL (top/left padding, 2). One float8 accumulator per (tap, input
 *   channel), so KH * KW * CIN accumulators must stay within the register file (host keeps <= 32).
 * Layout: X [N][H][W][CIN], dY [N][OH][OW][COUT], dW HWIO [KH][KW][CIN][COUT].
 * Launch: conv_wgrad_small over N work-items (one image each) writing partial[N][TAPS + 1][8]
 *   (the last slot sums dY: the bias gradient); conv_wgrad_small_reduce over (TAPS + 1) * COUT
 *   work-items sums the N partials into dW and db (deterministic);
 *   conv_small_pack pads the weights to one float8 per (tap, input channel), then conv_fwd_small
 *   (the forward pass of the same layers) runs over the grid (OH, N), one output row per work-item.
 */

#ifndef KH
#define KH 5
#endif
#ifndef KW
#define KW 5
#endif
#ifndef CIN
#define CIN 1
#endif
#ifndef COUT
#define COUT 6
#endif
#ifndef SH
#define SH 1
#endif
#ifndef SW
#define SW 1
#endif
#ifndef PT
#define PT 2
#endif
#ifndef PL
#define PL 2
#endif

#define TAPS (KH * KW * CIN)

__kernel void conv_wgrad_small(__global const float* X, __global const float* dY, __global float* partial,
                               const int H, const int W, const int OH, const int OW, const int N) {
    const int n = get_global_id(0);
    if (n >= N) return;
    float8 acc[TAPS];
#pragma unroll
    for (int t = 0; t < TAPS; t++) acc[t] = (float8)(0.0f);
    float8 accBias = (float8)(0.0f);
    const __global float* x = X + (size_t)n * H * W * CIN;
    const __global float* dy = dY + (size_t)n * OH * OW * COUT;
    for (int oy = 0; oy < OH; oy++) {
        for (int ox = 0; ox < OW; ox++) {
            const __global float* g = dy + (oy * OW + ox) * COUT;
            float lanes[8];
#pragma unroll
            for (int c = 0; c < 8; c++) lanes[c] = c < COUT ? g[c] : 0.0f;
            const float8 d = vload8(0, lanes);
            accBias += d;
#pragma unroll
            for (int ky = 0; ky < KH; ky++) {
                const int iy = oy * SH - PT + ky;
                const int rowOk = iy >= 0 && iy < H;
#pragma unroll
                for (int kx = 0; kx < KW; kx++) {
                    const int ix = ox * SW - PL + kx;
                    if (rowOk && ix >= 0 && ix < W) {
                        const __global float* xp = x + (iy * W + ix) * CIN;
#pragma unroll
                        for (int ci = 0; ci < CIN; ci++) acc[(ky * KW + kx) * CIN + ci] = fma((float8)(xp[ci]), d, acc[(ky * KW + kx) * CIN + ci]);
                    }
                }
            }
        }
    }
    __global float* out = partial + (size_t)n * (TAPS + 1) * 8;
#pragma unroll
    for (int t = 0; t < TAPS; t++) vstore8(acc[t], t, out);
    vstore8(accBias, TAPS, out);
}

/* dW[t][c] (t < TAPS) and db[c] (slot TAPS) = sum over n of partial[n][slot][c]. */
__kernel void conv_wgrad_small_reduce(__global const float* partial, __global float* dW, __global float* db, const int N) {
    const int i = get_global_id(0);
    if (i >= (TAPS + 1) * COUT) return;
    const int t = i / COUT, c = i - t * COUT;
    float s = 0.0f;
    for (int n = 0; n < N; n++) s += partial[((size_t)n * (TAPS + 1) + t) * 8 + c];
    if (t < TAPS) dW[i] = s;
    else db[c] = s;
}

/* Wp[t][0..8) = W[t][0..COUT) padded with zeros: one aligned float8 per (tap, input channel). */
__kernel void conv_small_pack(__global const float* Wt, __global float* Wp) {
    const int i = get_global_id(0);
    if (i >= TAPS * 8) return;
    const int t = i / 8, c = i % 8;
    Wp[i] = c < COUT ? Wt[t * COUT + c] : 0.0f;
}

/*
 * y[n][oy][:][:] = bias + sum over taps and input channels of x * w: one output row per
 * work-item (grid (OH, N)), the packed weights held in TAPS float8 registers for the whole row,
 * one float8 (all COUT channels) per output pixel.
 */
__kernel void conv_fwd_small(__global const float* X, __global const float* Wp, __global const float* bias,
                             __global float* Y, const int H, const int W, const int OH, const int OW) {
    const int oy = get_global_id(0), n = get_global_id(1);
    float8 w[TAPS];
#pragma unroll
    for (int t = 0; t < TAPS; t++) w[t] = vload8(t, Wp);
    float lanes[8];
#pragma unroll
    for (int c = 0; c < 8; c++) lanes[c] = c < COUT ? bias[c] : 0.0f;
    const float8 b = vload8(0, lanes);
    const __global float* x = X + (size_t)n * H * W * CIN;
    __global float* y = Y + ((size_t)n * OH + oy) * OW * COUT;
    for (int ox = 0; ox < OW; ox++) {
        float8 acc = b;
#pragma unroll
        for (int ky = 0; ky < KH; ky++) {
            const int iy = oy * SH - PT + ky;
            if (iy < 0 || iy >= H) continue;
#pragma unroll
            for (int kx = 0; kx < KW; kx++) {
                const int ix = ox * SW - PL + kx;
                if (ix < 0 || ix >= W) continue;
#pragma unroll
                for (int ci = 0; ci < CIN; ci++) acc = fma((float8)(x[(iy * W + ix) * CIN + ci]), w[(ky * KW + kx) * CIN + ci], acc);
            }
        }
        vstore8(acc, 0, lanes);
#pragma unroll
        for (int c = 0; c < COUT; c++) y[ox * COUT + c] = lanes[c];
    }
}
