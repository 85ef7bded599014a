/*
 * conv_dw.cl - depthwise 2-D convolution (one input and one output channel per group, C = G), NHWC
 * activations, weights w[ky][kx][c], bias [C]: forward, backward-data and backward-weights. 16
 * channels per float16; one work-item per work-group (local size {1,1,1}).
 *
 * -D options (all of them; defaults in brackets):
 *   PX [8]             output pixels per conv_dw work-item
 *   DV [1]             float16 channel vectors per work-item
 *   DW_KW [0]          kernel width, set when the width stride and dilation are 1: sliding window
 *   C_FULL [0]         1 when C % (16*DV) == 0 (no channel guards)
 *   BACKWARD_DATA [0]  conv_dw direction: 1 = dX from dY (the flipped kernel, a gather)
 *   UNIT_STRIDE [0]    1 when both strides are 1: backward-data skips the divisibility tests
 *   BW_KH, BW_KW [3]   conv_dw_bwd_weights_rows: kernel height and width (every tap's accumulator in
 *                      registers; width stride and dilation 1)
 * Java twin: dev.clpipe.nn.ops.Conv2dReference; launcher: nn.ops.RegisterBlockedConv2d (depthwise
 * shapes); tests: Conv2dTest (depthwise cases), Conv2dGradientTest; bench rows: `clpipe bench kernels`
 * depthwise 3x3 112x112x32 forward / bwd-data / bwd-weights.
 */

#include "vec16.h"

#ifndef PX
#define PX 8
#endif
#ifndef BACKWARD_DATA
#define BACKWARD_DATA 0
#endif
#ifndef UNIT_STRIDE
#define UNIT_STRIDE 0
#endif
/*
 * Depthwise (one input and one output channel per group, C = G), weights w[ky][kx][c]. One work-item:
 * PX output pixels of a row x DV float16 channel vectors. With DW_KW = kernel width (set when the
 * width stride and dilation are 1) a kernel row loads one sliding window of PX+KW-1 input pixels and
 * every tap reuses it, instead of KW loads per pixel (5x faster at 112x112x32). C_FULL=1 when
 * C % (16*DV) == 0 (no channel guards); streamOut = 1 (with C_FULL: 64-byte aligned vectors) writes
 * the output with non-temporal stores, for outputs larger than the caches (an argument: the output's
 * size follows the batch rows, and a re-split must not rebuild). BACKWARD_DATA as for conv_rb.
 * Launch: global {ceil(dstW/PX), ceil(N*dstH/rowsPerItem), ceil(C/(16*DV))}.
 */
#ifndef DW_KW
#define DW_KW 0
#endif
#ifndef DV
#define DV 1
#endif
#ifndef C_FULL
#define C_FULL 0
#endif
inline float16 dw_load(const __global float* src, const int n) {
#if C_FULL
    return vload16(0, src);
#else
    return load16_guarded(src, n);
#endif
}
#if DW_KW
#define DW_WINDOW (PX + DW_KW - 1)
#else
#define DW_WINDOW 1
#endif
/*
 * Kernel column kx of one kernel row: acc[p][v] += input(p, kx) * w[kx] for the work-item's PX pixels
 * and DV channel vectors. The input comes from the row's sliding window win (DW_KW) or is loaded
 * from srcRow, skipped where the tap falls outside the input (no fma with 0: -0.0 and inf stay exact).
 */
inline void dw_tap(float16 acc[PX][DV], const int kx, const float16 win[DW_WINDOW][DV], const __global float* srcRow,
                   const __global float* wRow, const int C, const int left, const int x0, const int dstW, const int srcW,
                   const int SW, const int PL, const int DW) {
#pragma unroll
    for (int v = 0; v < DV; v++) {
        const float16 w = dw_load(wRow + kx * C + v * 16, left - v * 16);
#pragma unroll
        for (int p = 0; p < PX; p++) {
#if DW_KW && BACKWARD_DATA
            acc[p][v] = fma(win[p + DW_KW - 1 - kx][v], w, acc[p][v]);
#elif DW_KW
            acc[p][v] = fma(win[p + kx][v], w, acc[p][v]);
#else
#if BACKWARD_DATA
            const int tx = x0 + p + PL - kx * DW;
#if UNIT_STRIDE
            const int sx = tx;
            const int ok = x0 + p < dstW && tx >= 0 && sx < srcW;
#else
            const int sx = tx / SW;
            const int ok = x0 + p < dstW && tx >= 0 && tx % SW == 0 && sx < srcW;
#endif
#else
            const int sx = (x0 + p) * SW - PL + kx * DW;
            const int ok = x0 + p < dstW && sx >= 0 && sx < srcW;
#endif
            if (ok) acc[p][v] = fma(dw_load(srcRow + (size_t)sx * C + v * 16, left - v * 16), w, acc[p][v]);
#endif
        }
    }
}
__kernel void conv_dw(__global const float* src, __global const float* Wt, __global const float* bias,
                      __global float* dst, const int srcH, const int srcW, const int dstH, const int dstW, const int C,
                      const int KH, const int KW, const int SH, const int SW, const int PT, const int PL,
                      const int DH, const int DW, const int hasBias, const int rowsPerItem, const int totalRows,
                      const int streamOut) {
    const int x0 = get_global_id(0) * PX;
    const int c0 = get_global_id(2) * 16 * DV;
    const int left = C - c0;
    /* Several output rows per work-item: PoCL pays ~1 us per work-group. */
    const int rowEnd = min(totalRows, (int)get_global_id(1) * rowsPerItem + rowsPerItem);
    for (int row = get_global_id(1) * rowsPerItem; row < rowEnd; row++) {
        const int n = row / dstH, y = row % dstH;
        float16 acc[PX][DV];
#pragma unroll
        for (int p = 0; p < PX; p++) {
#pragma unroll
            for (int v = 0; v < DV; v++) acc[p][v] = (float16)(0.0f);
        }
        for (int ky = 0; ky < KH; ky++) {
#if BACKWARD_DATA
            const int ty = y + PT - ky * DH;
#if UNIT_STRIDE
            const int sy = ty;
            if (ty < 0 || sy >= srcH) continue;
#else
            const int sy = ty / SH;
            if (ty < 0 || ty % SH != 0 || sy >= srcH) continue;
#endif
#else
            const int sy = y * SH - PT + ky * DH;
            if (sy < 0 || sy >= srcH) continue;
#endif
            const __global float* srcRow = src + (size_t)(n * srcH + sy) * srcW * C + c0;
            const __global float* wRow = Wt + (size_t)ky * KW * C + c0;
#if DW_KW
#if BACKWARD_DATA
            const int base = x0 + PL - (DW_KW - 1);
#else
            const int base = x0 - PL;
#endif
            float16 win[DW_WINDOW][DV];
#pragma unroll
            for (int j = 0; j < DW_WINDOW; j++) {
                const int sx = base + j;
                const int ok = sx >= 0 && sx < srcW;
#pragma unroll
                for (int v = 0; v < DV; v++) win[j][v] = ok ? dw_load(srcRow + (size_t)sx * C + v * 16, left - v * 16) : (float16)(0.0f);
            }
#pragma unroll
            for (int kx = 0; kx < DW_KW; kx++) dw_tap(acc, kx, win, srcRow, wRow, C, left, x0, dstW, srcW, SW, PL, DW);
#else
            for (int kx = 0; kx < KW; kx++) dw_tap(acc, kx, 0, srcRow, wRow, C, left, x0, dstW, srcW, SW, PL, DW);
#endif
        }
#pragma unroll
        for (int v = 0; v < DV; v++) {
            const float16 b = hasBias ? dw_load(bias + c0 + v * 16, left - v * 16) : (float16)(0.0f);
#pragma unroll
            for (int p = 0; p < PX; p++) {
                if (x0 + p >= dstW) break;
                __global float* d = dst + ((size_t)(n * dstH + y) * dstW + x0 + p) * C + c0 + v * 16;
#if C_FULL
                if (streamOut) __builtin_nontemporal_store(acc[p][v] + b, (__global float16*)d);
                else vstore16(acc[p][v] + b, 0, d);
#else
                if (left - v * 16 > 0) store16_guarded(acc[p][v] + b, d, left - v * 16);
#endif
            }
        }
    }
}

/* Depthwise partial weight gradient part[chunk][tap][c]. Launch: global {taps, ceil(C/16), chunks}. */
__kernel void conv_dw_bwd_weights(__global const float* X, __global const float* dY, __global float* part,
                                  const int H, const int W, const int C, const int OH, const int OW, const int KW,
                                  const int SH, const int SW, const int PT, const int PL, const int DH, const int DW,
                                  const int rows, const int rowsPerChunk, const int taps) {
    const int tap = get_global_id(0);
    const int c0 = get_global_id(1) * 16;
    const int chunk = get_global_id(2);
    const int ky = tap / KW, kx = tap % KW;
    const int left = C - c0;
    float16 acc = (float16)(0.0f);
    const int rowEnd = min(rows, (chunk + 1) * rowsPerChunk);
    for (int row = chunk * rowsPerChunk; row < rowEnd; row++) {
        const int n = row / OH, oy = row % OH;
        const int iy = oy * SH - PT + ky * DH;
        if (iy < 0 || iy >= H) continue;
        const __global float* xRow = X + (size_t)(n * H + iy) * W * C + c0;
        const __global float* dyRow = dY + (size_t)row * OW * C + c0;
        for (int ox = 0; ox < OW; ox++) {
            const int ix = ox * SW - PL + kx * DW;
            if (ix < 0 || ix >= W) continue;
            acc = fma(load16_guarded(xRow + (size_t)ix * C, left), load16_guarded(dyRow + (size_t)ox * C, left), acc);
        }
    }
    store16_guarded(acc, part + ((size_t)chunk * taps + tap) * C + c0, left);
}

/*
 * Depthwise weight gradient with every tap in registers (width stride and dilation 1): one work-item =
 * 16 channels of a chunk of output rows, accumulators acc[ky][kx]; for each output pixel dY is loaded
 * once and each kernel row's sliding window of BW_KW input pixels gains one new load, so a pixel costs
 * 1 + BW_KH loads for BW_KH*BW_KW FMAs (conv_dw_bwd_weights: 2 loads per FMA, dY read once per tap).
 * Padding reads the zero buffer (>= 16 floats). Writes part[chunk][tap][c] like conv_dw_bwd_weights.
 * Launch: global {ceil(C/16), chunks}.
 */
#ifndef BW_KH
#define BW_KH 3
#endif
#ifndef BW_KW
#define BW_KW 3
#endif
__kernel void conv_dw_bwd_weights_rows(__global const float* X, __global const float* dY, __global float* part,
                                       __global const float* zeros, const int H, const int W, const int C,
                                       const int OH, const int OW, const int SH, const int PT, const int PL,
                                       const int DH, const int rows, const int rowsPerChunk) {
    const int c0 = get_global_id(0) * 16;
    const int chunk = get_global_id(1);
    const int left = C - c0;
    float16 acc[BW_KH][BW_KW];
    float16 win[BW_KH][BW_KW];
#pragma unroll
    for (int ky = 0; ky < BW_KH; ky++) {
#pragma unroll
        for (int kx = 0; kx < BW_KW; kx++) acc[ky][kx] = (float16)(0.0f);
    }
    const int rowEnd = min(rows, (chunk + 1) * rowsPerChunk);
    for (int row = chunk * rowsPerChunk; row < rowEnd; row++) {
        const int n = row / OH, oy = row % OH;
        const __global float* xr[BW_KH];
        int ok[BW_KH];
#pragma unroll
        for (int ky = 0; ky < BW_KH; ky++) {
            const int iy = oy * SH - PT + ky * DH;
            ok[ky] = iy >= 0 && iy < H;
            xr[ky] = X + (size_t)(n * H + (ok[ky] ? iy : 0)) * W * C + c0;
        }
        /* Prime the windows with the columns of ox = 0 but the last. */
#pragma unroll
        for (int ky = 0; ky < BW_KH; ky++) {
#pragma unroll
            for (int k = 0; k + 1 < BW_KW; k++) {
                const int ix = k - PL;
                win[ky][k + 1] = dw_load(ok[ky] && ix >= 0 && ix < W ? xr[ky] + (size_t)ix * C : zeros, left);
            }
        }
        const __global float* dy = dY + (size_t)row * OW * C + c0;
        int ox = 0;
        do { /* OW >= 1 */
            const int ix = ox - PL + BW_KW - 1;
            const int colOk = ix >= 0 && ix < W;
#pragma unroll
            for (int ky = 0; ky < BW_KH; ky++) {
#pragma unroll
                for (int k = 0; k + 1 < BW_KW; k++) win[ky][k] = win[ky][k + 1];
                win[ky][BW_KW - 1] = dw_load(ok[ky] && colOk ? xr[ky] + (size_t)ix * C : zeros, left);
            }
            const float16 d = dw_load(dy + (size_t)ox * C, left);
#pragma unroll
            for (int ky = 0; ky < BW_KH; ky++) {
#pragma unroll
                for (int kx = 0; kx < BW_KW; kx++) acc[ky][kx] = fma(win[ky][kx], d, acc[ky][kx]);
            }
        } while (++ox < OW);
    }
    __global float* out = part + (size_t)chunk * BW_KH * BW_KW * C + c0;
#pragma unroll
    for (int ky = 0; ky < BW_KH; ky++) {
#pragma unroll
        for (int kx = 0; kx < BW_KW; kx++) store16_guarded(acc[ky][kx], out + (size_t)(ky * BW_KW + kx) * C, left);
    }
}
