/*
 * conv_dgrad_small.cl - input gradient of NHWC convolutions with few input channels and output
 * channels in whole float16 vectors (LeNet's second layer: 5x5, 6 -> 16), where the general
 * kernel's 16-lane vectors would run over the 6 input channels. A stop-gap beside conv.cl.
 *
 * Parameters (-D; defaults are LeNet's second layer so the file builds alone): KH, KW (5),
 *   CIN (forward input channels, <= 8; 6), COUT (forward output channels, a multiple of 16 up to
 *   64; 16), SH, SW (stride, 1), PT, PL (top/left padding, 0).
 * Layout: dY [N][OH][OW][COUT], W HWIO [KH][KW][CIN][COUT], dX [N][H][W][CIN].
 * Launch: conv_dgrad_small over the grid (W, H, N), one input pixel per work-item: for every
 *   output pixel whose window covers it, a float16 of dY times a float16 weight row per input
 *   channel, summed across lanes at the end. Gathers, so no atomics and deterministic.
 */
#ifndef KH
#define KH 5
#endif
#ifndef KW
#define KW 5
#endif
#ifndef CIN
#define CIN 6
#endif
#ifndef COUT
#define COUT 16
#endif
#ifndef SH
#define SH 1
#endif
#ifndef SW
#define SW 1
#endif
#ifndef PT
#define PT 0
#endif
#ifndef PL
#define PL 0
#endif
#define NV (COUT / 16)

inline float lane_sum(const float16 v) {
    const float8 a = v.lo + v.hi;
    const float4 b = a.lo + a.hi;
    return b.x + b.y + b.z + b.w;
}

__kernel void conv_dgrad_small(__global const float* dY, __global const float* Wt, __global float* dX,
                               const int H, const int W, const int OH, const int OW) {
    const int ix = get_global_id(0), iy = get_global_id(1), n = get_global_id(2);
    float16 acc[CIN];
#pragma unroll
    for (int ci = 0; ci < CIN; ci++) acc[ci] = (float16)(0.0f);
    for (int ky = 0; ky < KH; ky++) {
        const int ty = iy + PT - ky;
        if (ty < 0 || ty % SH != 0 || ty / SH >= OH) continue;
        const int oy = ty / SH;
        for (int kx = 0; kx < KW; kx++) {
            const int tx = ix + PL - kx;
            if (tx < 0 || tx % SW != 0 || tx / SW >= OW) continue;
            const __global float* d = dY + (((size_t)n * OH + oy) * OW + tx / SW) * COUT;
            const __global float* w = Wt + (ky * KW + kx) * CIN * COUT;
#pragma unroll
            for (int v = 0; v < NV; v++) {
                const float16 g = vload16(v, d);
#pragma unroll
                for (int ci = 0; ci < CIN; ci++) acc[ci] = fma(g, vload16(v, w + ci * COUT), acc[ci]);
            }
        }
    }
    __global float* out = dX + (((size_t)n * H + iy) * W + ix) * CIN;
#pragma unroll
    for (int ci = 0; ci < CIN; ci++) out[ci] = lane_sum(acc[ci]);
}
