/*
 * conv.cl - 2-D convolution (cross-correlation, as in PyTorch) forward, backward-data,
 * backward-weights and bias gradient, with stride, explicit per-side padding, dilation and groups.
 *
 * Layout (chosen by benchmark, see docs/kernels.md): NHWC keeps a pixel's channels contiguous, so
 * one float16 load covers 16 channels and stride/padding/dilation only change which pixel a scalar
 * broadcast comes from (no ragged vectors at image edges); NCHW would vectorise along width and
 * need im2col + GEMM on CPUs (a column matrix 9x the input for 3x3; measured in docs/kernels.md).
 *
 *   activations NHWC  x[n][y][x][c]   (channels innermost: one float16 load = 16 channels)
 *   weights     HWIO  w[ky][kx][ci][co], ci < Cin/G, co < Cout (group g owns co in [g*OCg, (g+1)*OCg))
 *   bias        [Cout]
 * Output size: floor((n + padBefore + padAfter - d*(f-1) - 1) / s) + 1.
 *
 * RegisterBlocked family (CPU style; one work-item per work-group, local size {1,1,1}):
 *   conv_pack_weights  weights -> panels Wp[g][cb][ky][kx][r][CB], CB = 16*NV channels zero-padded
 *                      (transpose=1 swaps ci/co for backward-data).
 *   conv_rb            direct convolution: one work-item = PX consecutive output pixels of one row
 *                      x CB channels, PX*NV float16 accumulators, loops fully unrolled. Taps that
 *                      fall in the padding read from a zero buffer instead of branching, so the inner
 *                      channel loop has no guards. BACKWARD_DATA=1 turns it into the transposed
 *                      convolution (gathers dY through stride/dilation) for dX.
 *                      ROW_RUNS=1 (forward, groups == 1, no left/right padding, width dilation 1):
 *                      one reduction of KW*Cin consecutive floats per kernel row instead of one
 *                      per tap (fast for small Cin, e.g. LeNet); zeros then holds >= KW*R floats.
 *   conv_bwd_weights_rb  dW = sum over pixels of x (x) dY: one work-item = RB input channels of one
 *                      tap x CB output channels over a chunk of output rows; partial sums per chunk
 *                      are added by conv_reduce (no atomics, deterministic).
 *   conv_dw / conv_dw_bwd_weights  depthwise (Cin/G = Cout/G = 1): 16 channels per float16.
 *   conv_bias_grad     per-chunk channel sums of dY, then conv_reduce.
 * LocalTiled family (GPU style): conv_im2col / conv_col2im around gemm.cl's gemm_tiled.
 *
 * -D parameters: PX (pixels per work-item, default 7), NV (float16 channel vectors, default 4),
 *                RB (input channels per backward-weights work-item, default 6),
 *                BACKWARD_DATA (0|1, conv_rb direction), UNIT_STRIDE (1 when both strides are 1:
 *                backward-data skips the divisibility tests), STREAM_OUT (1: whole output vectors are
 *                written with non-temporal stores, for outputs larger than the caches; needs every
 *                16-channel vector 64-byte aligned: dstC and the group width multiples of 16).
 * Every access is guarded: ragged pixel blocks, channel tails and padding never read or write
 * out of bounds.
 */

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
#ifndef STREAM_OUT
#define STREAM_OUT 0
#endif
#ifndef ROW_RUNS
#define ROW_RUNS 0
#endif
#define CB (16 * NV)

/* Reads floats src[0..n) into a float16, zero past n (n may be <= 0). */
inline float16 load16_guarded(const __global float* src, const int n) {
    if (n >= 16) return vload16(0, src);
    float v[16];
    for (int j = 0; j < 16; j++) v[j] = j < n ? src[j] : 0.0f;
    return vload16(0, v);
}

/* Writes the first n (< 16 allowed) lanes of value to dst. */
inline void store16_guarded(const float16 value, __global float* dst, const int n) {
    if (n >= 16) {
        vstore16(value, 0, dst);
        return;
    }
    float v[16];
    vstore16(value, 0, v);
    for (int j = 0; j < n; j++) dst[j] = v[j];
}

/*
 * Wp[g][cb][tap][r][c] = transpose ? W[tap][cb*CB+c][g*OCg + r] : W[tap][r][g*OCg + cb*CB+c], zero
 * when the channel index passes its group. R = reduction channels (ICg, or OCg when transposed).
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
 */
__kernel void conv_rb(__global const float* src, __global const float* Wp, __global const float* bias,
                      __global float* dst, __global const float* zeros,
                      const int srcH, const int srcW, const int srcC, const int dstH, const int dstW, const int dstC,
                      const int R, const int Q, const int nCB, const int KH, const int KW,
                      const int SH, const int SW, const int PT, const int PL, const int DH, const int DW,
                      const int hasBias, const int rowsPerItem, const int totalRows) {
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
#if STREAM_OUT
                if (left >= 16) __builtin_nontemporal_store(out, (__global float16*)(d + v * 16));
                else
#endif
                if (left > 0) store16_guarded(out, d + v * 16, left);
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
#ifndef CO_FULL
#define CO_FULL 0
#endif
__kernel void conv_bwd_weights_rb(__global const float* X, __global const float* dY, __global float* part,
                                  __global const float* zeros,
                                  const int H, const int W, const int C, const int OH, const int OW, const int OC,
                                  const int ICg, const int OCg, const int nRB, const int nCB, const int KW,
                                  const int SH, const int SW, const int PT, const int PL, const int DH, const int DW,
                                  const int rows, const int rowsPerChunk, const int taps) {
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

/* out[i] = sum_c part[c*count + i]. Launch: global {ceil(count/16)}. */
__kernel void conv_reduce(__global const float* part, __global float* out, const int count, const int chunks) {
    const int i0 = get_global_id(0) * 16;
    const int left = count - i0;
    if (left <= 0) return;
    float16 sum = (float16)(0.0f);
    for (int c = 0; c < chunks; c++) sum += load16_guarded(part + (size_t)c * count + i0, left);
    store16_guarded(sum, out + i0, left);
}

/* part[chunk][c] = sum of dY[pixel][c] over the chunk's pixels. Launch: global {ceil(C/16), chunks}. */
__kernel void conv_bias_grad(__global const float* dY, __global float* part, const int C, const int pixels,
                             const int pixelsPerChunk) {
    const int c0 = get_global_id(0) * 16;
    const int chunk = get_global_id(1);
    const int left = C - c0;
    const int end = min(pixels, (chunk + 1) * pixelsPerChunk);
    float16 sum = (float16)(0.0f);
    for (int p = chunk * pixelsPerChunk; p < end; p++) sum += load16_guarded(dY + (size_t)p * C + c0, left);
    store16_guarded(sum, part + (size_t)chunk * C + c0, left);
}

/*
 * Depthwise (one input and one output channel per group, C = G), weights w[ky][kx][c]. One work-item:
 * PX output pixels of a row x DV float16 channel vectors. With DW_KW = kernel width (set when the
 * width stride and dilation are 1) a kernel row loads one sliding window of PX+KW-1 input pixels and
 * every tap reuses it, instead of KW loads per pixel (5x faster at 112x112x32). C_FULL=1 when
 * C % (16*DV) == 0 (no channel guards); STREAM_OUT=1 (needs C_FULL: 64-byte aligned vectors) writes
 * the output with non-temporal stores, for outputs larger than the caches. BACKWARD_DATA as for conv_rb.
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
__kernel void conv_dw(__global const float* src, __global const float* Wt, __global const float* bias,
                      __global float* dst, const int srcH, const int srcW, const int dstH, const int dstW, const int C,
                      const int KH, const int KW, const int SH, const int SW, const int PT, const int PL,
                      const int DH, const int DW, const int hasBias, const int rowsPerItem, const int totalRows) {
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
            float16 win[PX + DW_KW - 1][DV];
#pragma unroll
            for (int j = 0; j < PX + DW_KW - 1; j++) {
                const int sx = base + j;
                const int ok = sx >= 0 && sx < srcW;
#pragma unroll
                for (int v = 0; v < DV; v++) win[j][v] = ok ? dw_load(srcRow + (size_t)sx * C + v * 16, left - v * 16) : (float16)(0.0f);
            }
#pragma unroll
            for (int kx = 0; kx < DW_KW; kx++) {
#pragma unroll
                for (int v = 0; v < DV; v++) {
                    const float16 w = dw_load(wRow + kx * C + v * 16, left - v * 16);
#pragma unroll
                    for (int p = 0; p < PX; p++) {
#if BACKWARD_DATA
                        acc[p][v] = fma(win[p + DW_KW - 1 - kx][v], w, acc[p][v]);
#else
                        acc[p][v] = fma(win[p + kx][v], w, acc[p][v]);
#endif
                    }
                }
            }
#else
            for (int kx = 0; kx < KW; kx++) {
#pragma unroll
                for (int v = 0; v < DV; v++) {
                    const float16 w = dw_load(wRow + kx * C + v * 16, left - v * 16);
#pragma unroll
                    for (int p = 0; p < PX; p++) {
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
                    }
                }
            }
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
                __builtin_nontemporal_store(acc[p][v] + b, (__global float16*)d);
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
 * LocalTiled family: col[m][k] for group g, m = (n, oy, ox), k = (ky, kx, ci); zero in padding.
 * Launch: global {K, M} rounded up to the work-group (16, 16).
 */
__kernel void conv_im2col(__global const float* X, __global float* col, const int H, const int W, const int C,
                          const int OH, const int OW, const int ICg, const int g, const int KW,
                          const int SH, const int SW, const int PT, const int PL, const int DH, const int DW,
                          const int M, const int K) {
    const int k = get_global_id(0), m = get_global_id(1);
    if (k >= K || m >= M) return;
    const int ci = k % ICg, tap = k / ICg;
    const int ky = tap / KW, kx = tap % KW;
    const int ox = m % OW, t = m / OW;
    const int oy = t % OH, n = t / OH;
    const int iy = oy * SH - PT + ky * DH, ix = ox * SW - PL + kx * DW;
    const int ok = iy >= 0 && iy < H && ix >= 0 && ix < W;
    col[(size_t)m * K + k] = ok ? X[((size_t)(n * H + iy) * W + ix) * C + g * ICg + ci] : 0.0f;
}

/* dX[n][iy][ix][g*ICg + ci] = sum of dcol over the (m, k) that im2col read it from (a gather, no atomics).
 * Launch: global {ICg, N*H*W} rounded up to the work-group. */
__kernel void conv_col2im(__global const float* dcol, __global float* dX, const int N, const int H, const int W,
                          const int C, const int OH, const int OW, const int ICg, const int g, const int KH,
                          const int KW, const int SH, const int SW, const int PT, const int PL, const int DH,
                          const int DW, const int K) {
    const int ci = get_global_id(0), pix = get_global_id(1);
    if (ci >= ICg || pix >= N * H * W) return;
    const int ix = pix % W, t = pix / W;
    const int iy = t % H, n = t / H;
    float sum = 0.0f;
    for (int ky = 0; ky < KH; ky++) {
        const int ty = iy + PT - ky * DH;
        if (ty < 0 || ty % SH != 0 || ty / SH >= OH) continue;
        for (int kx = 0; kx < KW; kx++) {
            const int tx = ix + PL - kx * DW;
            if (tx < 0 || tx % SW != 0 || tx / SW >= OW) continue;
            const size_t m = (size_t)(n * OH + ty / SH) * OW + tx / SW;
            sum += dcol[m * K + (ky * KW + kx) * ICg + ci];
        }
    }
    dX[(size_t)pix * C + g * ICg + ci] = sum;
}

/*
 * Small-channel convolutions with the shape compiled in (-D SC_*), where the general kernels' 16-lane
 * channel vectors would be mostly empty (LeNet: 5x5 1 -> 6 and 6 -> 16).
 *   conv_fwd_small / conv_wgrad_small (+ _reduce, conv_small_pack): at most 8 output channels and
 *     SC_KH*SC_KW*SC_CIN <= 32 (one float8 per output pixel / per (tap, input channel)).
 *   conv_dgrad_small: input gradient for at most 8 input channels and output channels in whole
 *     float16 vectors (SC_COUT a multiple of 16, up to 64); one input pixel per work-item, a gather.
 * -D: SC_KH, SC_KW (kernel), SC_CIN, SC_COUT (channels), SC_SH, SC_SW (stride), SC_PT, SC_PL
 *   (top/left padding). Defaults are LeNet's first layer so conv.cl builds without them.
 * Layout: X [N][H][W][CIN], dY [N][OH][OW][COUT], W/dW HWIO [KH][KW][CIN][COUT].
 * Launch: conv_wgrad_small over N work-items (one image each) writing partial[N][TAPS + 1][8]
 *   (the last slot sums dY: the bias gradient); conv_wgrad_small_reduce over (TAPS + 1) * COUT
 *   work-items; conv_small_pack pads the weights to one float8 per (tap, input channel), then
 *   conv_fwd_small runs over the grid (OH, N), one output row per work-item; conv_dgrad_small over
 *   (W, H, N).
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
__kernel void conv_small_pack(__global const float* Wt, __global float* Wp) {
    const int i = get_global_id(0);
    if (i >= SC_TAPS * 8) return;
    const int t = i / 8, c = i % 8;
    Wp[i] = c < SC_COUT ? Wt[t * SC_COUT + c] : 0.0f;
}

/*
 * y[n][oy][:][:] = bias + sum over taps and input channels of x * w: one output row per
 * work-item (grid (OH, N)), the packed weights held in SC_TAPS float8 registers for the whole row,
 * one float8 (all SC_COUT channels) per output pixel.
 */
__kernel void conv_fwd_small(__global const float* X, __global const float* Wp, __global const float* bias,
                             __global float* Y, const int H, const int W, const int OH, const int OW) {
    const int oy = get_global_id(0), n = get_global_id(1);
    float8 w[SC_TAPS];
#pragma unroll
    for (int t = 0; t < SC_TAPS; t++) w[t] = vload8(t, Wp);
    float lanes[8];
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
