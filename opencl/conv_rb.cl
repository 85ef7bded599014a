/*
 * conv_rb.cl - register-blocked direct 2-D convolution (cross-correlation, as in PyTorch): forward,
 * backward-data and backward-weights, with stride, explicit per-side padding, dilation and groups.
 * The CPU-style family (one work-item per work-group, local size {1,1,1}; PoCL runs each
 * work-group as a loop, so each work-item owns a whole register block of float16 accumulators).
 *
 * Layout (chosen by benchmark, see docs/kernels.md): NHWC keeps a pixel's channels contiguous, so
 * one float16 load covers 16 channels and stride/padding/dilation only change which pixel a scalar
 * broadcast comes from (no ragged vectors at image edges).
 *   activations NHWC  x[n][y][x][c]
 *   weights     HWIO  w[ky][kx][ci][co], ci < Cin/G, co < Cout (group g owns co in [g*OCg, (g+1)*OCg))
 *   bias        [Cout]
 * Output size: floor((n + padBefore + padAfter - d*(f-1) - 1) / s) + 1.
 *
 *   conv_pack_weights  weights -> panels Wp[g][cb][ky][kx][r][CB], CB = 16*NV channels zero-padded
 *                      (transpose=1 swaps ci/co for backward-data).
 *   conv_rb            one work-item = PX consecutive output pixels of one row x CB channels, PX*NV
 *                      float16 accumulators, loops fully unrolled. Taps in the padding read a zero
 *                      buffer instead of branching. BACKWARD_DATA=1: the transposed convolution
 *                      (gathers dY through stride/dilation) for dX.
 *   conv_bwd_weights_rb  dW = sum over pixels of x (x) dY: one work-item = RB input channels of one
 *                      tap x CB output channels over a chunk of output rows; the per-chunk partial
 *                      sums are added by conv_sums.cl's conv_reduce (no atomics, deterministic).
 *                      With groups 1 and biasChunks > 0, the launch's extra first-dimension index
 *                      (taps*nRB) also writes the bias gradient's partial sums, as conv_bias_grad
 *                      would (channel_sums.h), so conv_reduce_pair adds both in one more launch.
 *
 * -D options (all of them; defaults in brackets):
 *   PX [7]             output pixels per conv_rb work-item
 *   NV [4]             float16 channel vectors per work-item (CB = 16*NV channels)
 *   RB [6]             input channels per conv_bwd_weights_rb work-item (RB <= ICg)
 *   BACKWARD_DATA [0]  conv_rb direction: 1 = dX from dY with transposed packed weights
 *   UNIT_STRIDE [0]    1 when both strides are 1: backward-data skips the divisibility tests
 *   ROW_RUNS [0]       1 (forward, groups == 1, no left/right padding, width dilation 1): one reduction
 *                      of KW*Cin consecutive floats per kernel row instead of one per tap (small Cin,
 *                      e.g. LeNet); zeros then holds >= KW*R floats
 *   CO_FULL [0]        conv_bwd_weights_rb: 1 when OCg % CB == 0 (no channel guards on dY loads)
 * Java twin: dev.clpipe.nn.ops.Conv2dReference; launcher: nn.ops.RegisterBlockedConv2d;
 * tests: Conv2dTest (vs the twin, many shapes), Conv2dGradientTest (finite differences),
 * Conv2dTorchVectorsTest (PyTorch vectors); bench rows: `clpipe bench kernels` conv3x3 / 1x1 / LeNet.
 * Every access is guarded: ragged pixel blocks, channel tails and padding never read or write
 * out of bounds.
 */

#include "vec16.h"
#include "channel_sums.h"

#ifndef PX
#define PX 7
#endif
#ifndef NV
#define NV 4
#endif
#ifndef RB
#define RB 6
#endif
#ifndef BACKWARD_DATA
#define BACKWARD_DATA 0
#endif
#ifndef UNIT_STRIDE
#define UNIT_STRIDE 0
#endif
#ifndef ROW_RUNS
#define ROW_RUNS 0
#endif
#ifndef CO_FULL
#define CO_FULL 0
#endif
#define CB (16 * NV)

/*
 * Wp[g][cb][tap][r][c] = transpose ? W[tap][cb*CB+c][g*OCg + r] : W[tap][r][g*OCg + cb*CB+c], zero
 * when the channel index passes its group. R = reduction channels (ICg, or OCg when transposed).
 * With one group and OC == CB the forward panel is W itself, and the launcher passes W (no launch).
 * Launch: global {taps*R, G*nCB}.
 */
__kernel void conv_pack_weights(__global const float* W, __global float* Wp, const int taps, const int ICg,
                                const int OCg, const int OC, const int nCB, const int transpose) {
    const int R = transpose ? OCg : ICg;
    const int Q = transpose ? ICg : OCg;
    const int row = get_global_id(0);
    const int gcb = get_global_id(1);
    if (row >= taps * R) return;
    const int tap = row / R, r = row % R;
    const int g = gcb / nCB, cb = gcb % nCB;
    __global float* dst = Wp + ((size_t)gcb * taps * R + row) * CB;
    for (int c = 0; c < CB; c++) {
        const int q = cb * CB + c;
        float v = 0.0f;
        if (q < Q) v = transpose ? W[((size_t)tap * ICg + q) * OC + g * OCg + r] : W[((size_t)tap * ICg + r) * OC + g * OCg + q];
        dst[c] = v;
    }
}

/*
 * Forward:  dst = y[n][oy][ox][g*Q + q] = sum_{ky,kx,r} x[n][oy*SH-PT+ky*DH][ox*SW-PL+kx*DW][g*R + r] * Wp
 * Backward: dst = dX, src = dY; a tap contributes when (iy + PT - ky*DH) is a multiple of SH in range.
 * Launch: global {ceil(dstW/PX), ceil(N*dstH/rowsPerItem), G*nCB}, local {1,1,1}. zeros holds >= R zero floats.
 * streamOut = 1 writes whole output vectors with non-temporal stores (outputs larger than the caches;
 * needs dstC and the group width multiples of 16). An argument, not a build option: the output's size
 * follows the batch rows, and a data-parallel re-split must not build the program again.
 */
__kernel void conv_rb(__global const float* src, __global const float* Wp, __global const float* bias,
                      __global float* dst, __global const float* zeros,
                      const int srcH, const int srcW, const int srcC, const int dstH, const int dstW, const int dstC,
                      const int R, const int Q, const int nCB, const int KH, const int KW,
                      const int SH, const int SW, const int PT, const int PL, const int DH, const int DW,
                      const int hasBias, const int rowsPerItem, const int totalRows, const int streamOut) {
    const int x0 = get_global_id(0) * PX;
    const int gcb = get_global_id(2);
    const int g = gcb / nCB, cb = gcb % nCB;

    /* Several output rows per work-item: PoCL pays ~1 us per work-group. */
    const int rowEnd = min(totalRows, (int)get_global_id(1) * rowsPerItem + rowsPerItem);
    for (int row = get_global_id(1) * rowsPerItem; row < rowEnd; row++) {
        const int n = row / dstH, y = row % dstH;
        float16 acc[PX][NV];
#pragma unroll
        for (int p = 0; p < PX; p++) {
#pragma unroll
            for (int v = 0; v < NV; v++) acc[p][v] = (float16)(0.0f);
        }
#if ROW_RUNS
        /* One reduction of KW*R consecutive input floats per kernel row (groups == 1, no width
         * padding or dilation): tap setup dominates when Cin is small (LeNet). */
        const int reduce = KW * R;
        for (int ky = 0; ky < KH; ky++) {
            const int sy = y * SH - PT + ky * DH;
            const int rowOk = sy >= 0 && sy < srcH;
            const __global float* srcRow = src + (size_t)(n * srcH + sy) * srcW * srcC;
            const __global float* s[PX];
#pragma unroll
            for (int p = 0; p < PX; p++) s[p] = rowOk && x0 + p < dstW ? srcRow + (size_t)(x0 + p) * SW * srcC : zeros;
            const __global float16* w = (const __global float16*)(Wp + ((size_t)gcb * KH * KW + ky * KW) * R * CB);
#else
        /* One flat loop over taps, no early exits: a tap in the padding reads the zero buffer. Extra
         * control flow around the accumulator loop makes LLVM shuffle (and spill) the accumulators. */
        const int taps = KH * KW;
#if BACKWARD_DATA && !UNIT_STRIDE
        /* With dilation 1 only every SH-th kernel row reaches this output row: skip the others. */
        const int kyStep = DH == 1 ? SH : 1;
        for (int ky = DH == 1 ? (y + PT) % SH : 0; ky < KH; ky += kyStep)
        for (int kx = 0; kx < KW; kx++) {
            const int t = ky * KW + kx;
#else
        for (int t = 0; t < taps; t++) {
            const int ky = t / KW, kx = t - ky * KW;
#endif
#if BACKWARD_DATA
            const int ty = y + PT - ky * DH;
#if UNIT_STRIDE
            const int sy = ty; /* integer division per tap and pixel costs as much as the channel loop */
            const int rowOk = ty >= 0 && sy < srcH;
#else
            const int sy = ty / SH;
            const int rowOk = ty >= 0 && ty % SH == 0 && sy < srcH;
#endif
#else
            const int sy = y * SH - PT + ky * DH;
            const int rowOk = sy >= 0 && sy < srcH;
#endif
            const __global float* srcRow = src + (size_t)(n * srcH + sy) * srcW * srcC + g * R;
            const __global float* s[PX];
#pragma unroll
            for (int p = 0; p < PX; p++) {
#if BACKWARD_DATA
                const int tx = x0 + p + PL - kx * DW;
#if UNIT_STRIDE
                const int sx = tx;
                const int ok = rowOk && x0 + p < dstW && tx >= 0 && sx < srcW;
#else
                const int sx = tx / SW;
                const int ok = rowOk && x0 + p < dstW && tx >= 0 && tx % SW == 0 && sx < srcW;
#endif
#else
                const int sx = (x0 + p) * SW - PL + kx * DW;
                const int ok = rowOk && x0 + p < dstW && sx >= 0 && sx < srcW;
#endif
                s[p] = ok ? srcRow + (size_t)sx * srcC : zeros;
            }
            const __global float16* w = (const __global float16*)(Wp + ((size_t)gcb * taps + t) * R * CB);
            const int reduce = R;
#endif
            int r = 0;
            do { /* R >= 1: a do-while leaves no zero-trip path, which would cost register copies */
                float16 wv[NV];
#pragma unroll
                for (int v = 0; v < NV; v++) wv[v] = w[r * NV + v];
#pragma unroll
                for (int p = 0; p < PX; p++) {
                    const float a = s[p][r];
#pragma unroll
                    for (int v = 0; v < NV; v++) acc[p][v] = fma((float16)(a), wv[v], acc[p][v]);
                }
            } while (++r < reduce);
        }

        const int q0 = cb * CB;
        const __global float* b = bias + g * Q + q0;
#pragma unroll
        for (int p = 0; p < PX; p++) {
            if (x0 + p >= dstW) break;
            __global float* d = dst + ((size_t)(n * dstH + y) * dstW + x0 + p) * dstC + g * Q + q0;
#pragma unroll
            for (int v = 0; v < NV; v++) {
                const int left = Q - q0 - v * 16;
                float16 out = acc[p][v];
                if (hasBias) out += load16_guarded(b + v * 16, left);
                if (streamOut && left >= 16) __builtin_nontemporal_store(out, (__global float16*)(d + v * 16));
                else if (left > 0) store16_guarded(out, d + v * 16, left);
            }
        }
    }
}

/*
 * Partial weight gradient of one chunk of output rows (n, oy): part[chunk][tap][ci][g*OCg + co] =
 *   sum over output pixels (n, oy, ox) of the chunk of x[n][iy][ix][g*ICg + ci] * dY[n][oy][ox][g*OCg + co].
 * One work-item: RB input channels (requires RB <= ICg; the last block is shifted left to stay in
 * range and stores only its new channels) x CB output channels of one tap. Padding taps read the
 * zero buffer (>= ICg floats) instead of branching. CO_FULL=1 when OCg % CB == 0.
 * Launch: global {taps*nRB, G*nCB, chunks}, local {1,1,1}.
 */
__kernel void conv_bwd_weights_rb(__global const float* X, __global const float* dY, __global float* part,
                                  __global const float* zeros,
                                  const int H, const int W, const int C, const int OH, const int OW, const int OC,
                                  const int ICg, const int OCg, const int nRB, const int nCB, const int KW,
                                  const int SH, const int SW, const int PT, const int PL, const int DH, const int DW,
                                  const int rows, const int rowsPerChunk, const int taps,
                                  __global float* biasPart, const int biasChunks, const int pixelsPerBiasChunk) {
    if (get_global_id(0) == taps * nRB) {
        /* The extra work-items (groups 1, biasChunks > 0): conv_bias_grad's partial sums of the bias gradient,
         * its chunks and its sums, for this column block's 16-channel vectors. */
        const int co0 = get_global_id(1) * CB, pixels = rows * OW;
        for (int bchunk = get_global_id(2); bchunk < biasChunks; bchunk += get_global_size(2)) {
#pragma unroll
            for (int v = 0; v < NV; v++) {
                if (co0 + v * 16 < OC) bias_chunk_sum(dY, biasPart, OC, pixels, pixelsPerBiasChunk, co0 + v * 16, bchunk);
            }
        }
        return;
    }
    const int tap = get_global_id(0) / nRB, rb = get_global_id(0) % nRB;
    const int g = get_global_id(1) / nCB, cb = get_global_id(1) % nCB;
    const int chunk = get_global_id(2);
    const int ky = tap / KW, kx = tap % KW;
    const int ci0 = rb * RB, co0 = cb * CB;
    const int ciStart = min(ci0, ICg - RB);
    const int coLeft = OCg - co0;

    float16 acc[RB][NV];
#pragma unroll
    for (int r = 0; r < RB; r++) {
#pragma unroll
        for (int v = 0; v < NV; v++) acc[r][v] = (float16)(0.0f);
    }
    const int rowEnd = min(rows, (chunk + 1) * rowsPerChunk);
    for (int row = chunk * rowsPerChunk; row < rowEnd; row++) {
        const int iy = (row % OH) * SH - PT + ky * DH;
        const int rowOk = iy >= 0 && iy < H;
        const __global float* xRow = X + (size_t)((row / OH) * H + iy) * W * C + g * ICg + ciStart;
        const __global float* dy = dY + (size_t)row * OW * OC + g * OCg + co0;
        int ix = kx * DW - PL;
        int ox = 0;
        do { /* OW >= 1; a do-while with a select keeps the accumulators in registers */
            const int ok = rowOk && ix >= 0 && ix < W;
            const __global float* xp = ok ? xRow + (size_t)ix * C : zeros;
            float16 d[NV];
#pragma unroll
            for (int v = 0; v < NV; v++) {
#if CO_FULL
                d[v] = vload16(v, dy);
#else
                d[v] = load16_guarded(dy + v * 16, coLeft - v * 16);
#endif
            }
#pragma unroll
            for (int r = 0; r < RB; r++) {
                const float a = xp[r];
#pragma unroll
                for (int v = 0; v < NV; v++) acc[r][v] = fma((float16)(a), d[v], acc[r][v]);
            }
            ix += SW;
            dy += OC;
        } while (++ox < OW);
    }

    __global float* out = part + (size_t)chunk * taps * ICg * OC;
#pragma unroll
    for (int r = 0; r < RB; r++) {
        if (ciStart + r >= ci0) {
            __global float* o = out + ((size_t)tap * ICg + ciStart + r) * OC + g * OCg + co0;
#pragma unroll
            for (int v = 0; v < NV; v++) {
                if (coLeft - v * 16 > 0) store16_guarded(acc[r][v], o + v * 16, coLeft - v * 16);
            }
        }
    }
}
