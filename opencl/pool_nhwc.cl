/*
 * pool_nhwc.cl - 2-D max and average pooling of NHWC tensors, forward and backward (the layout
 * the convolution kernels use). A stop-gap beside pool.cl (NCHW); to be folded into it.
 *
 * Parameters (-D): none; window, stride and padding are kernel arguments.
 * Layout: x [N][H][W][C], y [N][OH][OW][C], float32, contiguous.
 *   OH = (H + 2*PH - KH) / SH + 1 (floor), same for OW; host code keeps pad < window, so every
 *   window holds at least one real pixel.
 * Launch: one work-item per output element (forward) or per input element (backward); the
 *   global size may be rounded up, every kernel guards its index. Consecutive work-items walk
 *   the channels, so loads of one pixel's channels are contiguous.
 * Backward kernels GATHER (each input element sums the windows that cover it): no atomics,
 * deterministic results.
 */

__kernel void maxpool_nhwc_fwd(__global const float* x, __global float* y, __global int* argmax,
                               const int H, const int W, const int C, const int OH, const int OW,
                               const int KH, const int KW, const int SH, const int SW,
                               const int PH, const int PW, const int total) {
    const int i = get_global_id(0);
    if (i >= total) return;
    const int c = i % C;
    int t = i / C;
    const int ox = t % OW; t /= OW;
    const int oy = t % OH;
    const int n = t / OH;
    const int y0 = oy * SH - PH, x0 = ox * SW - PW;
    float best = -INFINITY;
    int where = -1;
    for (int ky = 0; ky < KH; ky++) {
        const int iy = y0 + ky;
        if (iy < 0 || iy >= H) continue;
        for (int kx = 0; kx < KW; kx++) {
            const int ix = x0 + kx;
            if (ix < 0 || ix >= W) continue;
            const float v = x[(((size_t)n * H + iy) * W + ix) * C + c];
            if (v > best || where < 0) { best = v; where = iy * W + ix; }
        }
    }
    y[i] = best;
    argmax[i] = where;
}

__kernel void maxpool_nhwc_bwd(__global const float* dy, __global const int* argmax, __global float* dx,
                               const int H, const int W, const int C, const int OH, const int OW,
                               const int KH, const int KW, const int SH, const int SW,
                               const int PH, const int PW, const int total) {
    const int i = get_global_id(0);
    if (i >= total) return;
    const int c = i % C;
    int t = i / C;
    const int ix = t % W; t /= W;
    const int iy = t % H;
    const int n = t / H;
    const int here = iy * W + ix;
    const int oyLo = max(0, (iy + PH - KH + SH) / SH), oyHi = min(OH - 1, (iy + PH) / SH);
    const int oxLo = max(0, (ix + PW - KW + SW) / SW), oxHi = min(OW - 1, (ix + PW) / SW);
    float sum = 0.0f;
    for (int oy = oyLo; oy <= oyHi; oy++) {
        for (int ox = oxLo; ox <= oxHi; ox++) {
            const size_t o = (((size_t)n * OH + oy) * OW + ox) * C + c;
            if (argmax[o] == here) sum += dy[o];
        }
    }
    dx[i] = sum;
}

/* countPad != 0: divide by the full window (PyTorch count_include_pad=True). */
__kernel void avgpool_nhwc_fwd(__global const float* x, __global float* y,
                               const int H, const int W, const int C, const int OH, const int OW,
                               const int KH, const int KW, const int SH, const int SW,
                               const int PH, const int PW, const int countPad, const int total) {
    const int i = get_global_id(0);
    if (i >= total) return;
    const int c = i % C;
    int t = i / C;
    const int ox = t % OW; t /= OW;
    const int oy = t % OH;
    const int n = t / OH;
    const int y0 = oy * SH - PH, x0 = ox * SW - PW;
    float sum = 0.0f;
    int count = 0;
    for (int ky = 0; ky < KH; ky++) {
        const int iy = y0 + ky;
        if (iy < 0 || iy >= H) continue;
        for (int kx = 0; kx < KW; kx++) {
            const int ix = x0 + kx;
            if (ix < 0 || ix >= W) continue;
            sum += x[(((size_t)n * H + iy) * W + ix) * C + c];
            count++;
        }
    }
    y[i] = sum / (float)(countPad ? KH * KW : count);
}

__kernel void avgpool_nhwc_bwd(__global const float* dy, __global float* dx,
                               const int H, const int W, const int C, const int OH, const int OW,
                               const int KH, const int KW, const int SH, const int SW,
                               const int PH, const int PW, const int countPad, const int total) {
    const int i = get_global_id(0);
    if (i >= total) return;
    const int c = i % C;
    int t = i / C;
    const int ix = t % W; t /= W;
    const int iy = t % H;
    const int n = t / H;
    const int oyLo = max(0, (iy + PH - KH + SH) / SH), oyHi = min(OH - 1, (iy + PH) / SH);
    const int oxLo = max(0, (ix + PW - KW + SW) / SW), oxHi = min(OW - 1, (ix + PW) / SW);
    float sum = 0.0f;
    for (int oy = oyLo; oy <= oyHi; oy++) {
        const int y0 = oy * SH - PH;
        const int rows = min(y0 + KH, H) - max(y0, 0);
        for (int ox = oxLo; ox <= oxHi; ox++) {
            const int x0 = ox * SW - PW;
            const int cols = min(x0 + KW, W) - max(x0, 0);
            const float d = countPad ? (float)(KH * KW) : (float)(rows * cols);
            sum += dy[(((size_t)n * OH + oy) * OW + ox) * C + c] / d;
        }
    }
    dx[i] = sum;
}

/*
 * Fast path for windows that tile the input exactly (stride == window, no padding, H % KH == 0,
 * W % KW == 0; e.g. 2x2/2 on even maps). Launched over (C, OW, N*OH) so no work-item divides
 * (integer division is scalar and slow on CPU devices); backward runs per OUTPUT element and
 * writes its whole window, which covers every input exactly once.
 */
__kernel void maxpool_nhwc_fwd_tiled(__global const float* x, __global float* y, __global int* argmax,
                                     const int W, const int C, const int OW, const int KH, const int KW) {
    const int c = get_global_id(0), ox = get_global_id(1), z = get_global_id(2);   /* z = n * OH + oy */
    const int rowStride = W * C;
    const __global float* base = x + (size_t)z * KH * rowStride + (size_t)ox * KW * C + c;
    float best = base[0];
    int where = 0;
    for (int ky = 0; ky < KH; ky++) {
        for (int kx = 0; kx < KW; kx++) {
            const float v = base[ky * rowStride + kx * C];
            const int better = v > best;
            best = better ? v : best;
            where = better ? ky * KW + kx : where;
        }
    }
    const size_t o = ((size_t)z * OW + ox) * C + c;
    y[o] = best;
    argmax[o] = where;
}

__kernel void maxpool_nhwc_bwd_tiled(__global const float* dy, __global const int* argmax, __global float* dx,
                                     const int W, const int C, const int OW, const int KH, const int KW) {
    const int c = get_global_id(0), ox = get_global_id(1), z = get_global_id(2);
    const int rowStride = W * C;
    const size_t o = ((size_t)z * OW + ox) * C + c;
    const float g = dy[o];
    const int where = argmax[o];
    __global float* base = dx + (size_t)z * KH * rowStride + (size_t)ox * KW * C + c;
    for (int ky = 0; ky < KH; ky++) {
        for (int kx = 0; kx < KW; kx++) base[ky * rowStride + kx * C] = (ky * KW + kx == where) ? g : 0.0f;
    }
}
