/*
 * conv_small.cl - small-channel convolutions with the shape compiled in, where the general kernels'
 * 16-lane channel vectors would be mostly empty (LeNet: 5x5 1 -> 6 and 6 -> 16).
 *   conv_fwd_small / conv_wgrad_small (+ _reduce): at most 8 output channels and
 *     SC_KH*SC_KW*SC_CIN <= 32 (one float8 per output pixel / per (tap, input channel)).
 *   conv_dgrad_small: input gradient for at most 8 input channels and output channels in whole
 *     float16 vectors (SC_COUT a multiple of 16, up to 64); one input pixel per work-item, a gather.
 * -D options (all of them; defaults are LeNet's first layer, so the file builds without them):
 *   SC_KH [5], SC_KW [5]   kernel height and width
 *   SC_CIN [1], SC_COUT [6] input and output channels
 *   SC_SH [1], SC_SW [1]   stride
 *   SC_PT [2], SC_PL [2]   top and left padding
 * Layout: X [N][H][W][CIN], dY [N][OH][OW][COUT], W/dW HWIO [KH][KW][CIN][COUT].
 * Launch: conv_wgrad_small over N work-items (one image each) writing partial[N][TAPS + 1][8]
 *   (the last slot sums dY: the bias gradient); conv_wgrad_small_reduce over (TAPS + 1) * COUT
 *   work-items; conv_fwd_small (weights padded to one float8 per (tap, input channel) as it reads
 *   them) runs over the grid (OH, N), one output row per work-item; conv_dgrad_small over
 *   (W, H, N).
 * Java twin: dev.clpipe.nn.ops.Conv2dReference; launchers: nn.ops.SmallConv, nn.ops.SmallConvInputGrad;
 * tests: LayerTwinTest (the LeNet conv layers vs the twin), the LeNet-5 golden run; bench rows: `clpipe bench
 * kernels` LeNet conv1 / conv2.
 */
#ifndef SC_KH
#define SC_KH 5
#endif
#ifndef SC_KW
#define SC_KW 5
#endif
#ifndef SC_CIN
#define SC_CIN 1
#endif
#ifndef SC_COUT
#define SC_COUT 6
#endif
#ifndef SC_SH
#define SC_SH 1
#endif
#ifndef SC_SW
#define SC_SW 1
#endif
#ifndef SC_PT
#define SC_PT 2
#endif
#ifndef SC_PL
#define SC_PL 2
#endif
#define SC_TAPS (SC_KH * SC_KW * SC_CIN)
#define SC_NV (SC_COUT / 16)



__kernel void conv_wgrad_small(__global const float* X, __global const float* dY, __global float* partial,
                               const int H, const int W, const int OH, const int OW, const int N) {
    const int n = get_global_id(0);
    if (n >= N) return;
    float8 acc[SC_TAPS];
#pragma unroll
    for (int t = 0; t < SC_TAPS; t++) acc[t] = (float8)(0.0f);
    float8 accBias = (float8)(0.0f);
    const __global float* x = X + (size_t)n * H * W * SC_CIN;
    const __global float* dy = dY + (size_t)n * OH * OW * SC_COUT;
    for (int oy = 0; oy < OH; oy++) {
        for (int ox = 0; ox < OW; ox++) {
            const __global float* g = dy + (oy * OW + ox) * SC_COUT;
            float lanes[8];
#pragma unroll
            for (int c = 0; c < 8; c++) lanes[c] = c < SC_COUT ? g[c] : 0.0f;
            const float8 d = vload8(0, lanes);
            accBias += d;
#pragma unroll
            for (int ky = 0; ky < SC_KH; ky++) {
                const int iy = oy * SC_SH - SC_PT + ky;
                const int rowOk = iy >= 0 && iy < H;
#pragma unroll
                for (int kx = 0; kx < SC_KW; kx++) {
                    const int ix = ox * SC_SW - SC_PL + kx;
                    if (rowOk && ix >= 0 && ix < W) {
                        const __global float* xp = x + (iy * W + ix) * SC_CIN;
#pragma unroll
                        for (int ci = 0; ci < SC_CIN; ci++) acc[(ky * SC_KW + kx) * SC_CIN + ci] = fma((float8)(xp[ci]), d, acc[(ky * SC_KW + kx) * SC_CIN + ci]);
                    }
                }
            }
        }
    }
    __global float* out = partial + (size_t)n * (SC_TAPS + 1) * 8;
#pragma unroll
    for (int t = 0; t < SC_TAPS; t++) vstore8(acc[t], t, out);
    vstore8(accBias, SC_TAPS, out);
}

/* dW[t][c] (t < SC_TAPS) and db[c] (slot SC_TAPS) = sum over n of partial[n][slot][c]. */
__kernel void conv_wgrad_small_reduce(__global const float* partial, __global float* dW, __global float* db, const int N) {
    const int i = get_global_id(0);
    if (i >= (SC_TAPS + 1) * SC_COUT) return;
    const int t = i / SC_COUT, c = i - t * SC_COUT;
    float s = 0.0f;
    for (int n = 0; n < N; n++) s += partial[((size_t)n * (SC_TAPS + 1) + t) * 8 + c];
    if (t < SC_TAPS) dW[i] = s;
    else db[c] = s;
}

/* Wp[t][0..8) = W[t][0..SC_COUT) padded with zeros: one aligned float8 per (tap, input channel). */
/*
 * y[n][oy][:][:] = bias + sum over taps and input channels of x * w: one output row per
 * work-item (grid (OH, N)), the weights held in SC_TAPS float8 registers for the whole row (read
 * from HWIO and padded with zeros past SC_COUT here: a packing launch cost more than these loads),
 * one float8 (all SC_COUT channels) per output pixel.
 */
__kernel void conv_fwd_small(__global const float* X, __global const float* Wt, __global const float* bias,
                             __global float* Y, const int H, const int W, const int OH, const int OW) {
    const int oy = get_global_id(0), n = get_global_id(1);
    float8 w[SC_TAPS];
    float lanes[8];
#pragma unroll
    for (int t = 0; t < SC_TAPS; t++) {
#pragma unroll
        for (int c = 0; c < 8; c++) lanes[c] = c < SC_COUT ? Wt[t * SC_COUT + c] : 0.0f;
        w[t] = vload8(0, lanes);
    }
#pragma unroll
    for (int c = 0; c < 8; c++) lanes[c] = c < SC_COUT ? bias[c] : 0.0f;
    const float8 b = vload8(0, lanes);
    const __global float* x = X + (size_t)n * H * W * SC_CIN;
    __global float* y = Y + ((size_t)n * OH + oy) * OW * SC_COUT;
    for (int ox = 0; ox < OW; ox++) {
        float8 acc = b;
#pragma unroll
        for (int ky = 0; ky < SC_KH; ky++) {
            const int iy = oy * SC_SH - SC_PT + ky;
            if (iy < 0 || iy >= H) continue;
#pragma unroll
            for (int kx = 0; kx < SC_KW; kx++) {
                const int ix = ox * SC_SW - SC_PL + kx;
                if (ix < 0 || ix >= W) continue;
#pragma unroll
                for (int ci = 0; ci < SC_CIN; ci++) acc = fma((float8)(x[(iy * W + ix) * SC_CIN + ci]), w[(ky * SC_KW + kx) * SC_CIN + ci], acc);
            }
        }
        vstore8(acc, 0, lanes);
#pragma unroll
        for (int c = 0; c < SC_COUT; c++) y[ox * SC_COUT + c] = lanes[c];
    }
}


inline float lane_sum(const float16 v) {
    const float8 a = v.lo + v.hi;
    const float4 b = a.lo + a.hi;
    return b.x + b.y + b.z + b.w;
}

__kernel void conv_dgrad_small(__global const float* dY, __global const float* Wt, __global float* dX,
                               const int H, const int W, const int OH, const int OW) {
    const int ix = get_global_id(0), iy = get_global_id(1), n = get_global_id(2);
    float16 acc[SC_CIN];
#pragma unroll
    for (int ci = 0; ci < SC_CIN; ci++) acc[ci] = (float16)(0.0f);
    for (int ky = 0; ky < SC_KH; ky++) {
        const int ty = iy + SC_PT - ky;
        if (ty < 0 || ty % SC_SH != 0 || ty / SC_SH >= OH) continue;
        const int oy = ty / SC_SH;
        for (int kx = 0; kx < SC_KW; kx++) {
            const int tx = ix + SC_PL - kx;
            if (tx < 0 || tx % SC_SW != 0 || tx / SC_SW >= OW) continue;
            const __global float* d = dY + (((size_t)n * OH + oy) * OW + tx / SC_SW) * SC_COUT;
            const __global float* w = Wt + (ky * SC_KW + kx) * SC_CIN * SC_COUT;
#pragma unroll
            for (int v = 0; v < SC_NV; v++) {
                const float16 g = vload16(v, d);
#pragma unroll
                for (int ci = 0; ci < SC_CIN; ci++) acc[ci] = fma(g, vload16(v, w + ci * SC_COUT), acc[ci]);
            }
        }
    }
    __global float* out = dX + (((size_t)n * H + iy) * W + ix) * SC_CIN;
#pragma unroll
    for (int ci = 0; ci < SC_CIN; ci++) out[ci] = lane_sum(acc[ci]);
}
