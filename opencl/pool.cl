/*
 * pool.cl - 2-D max and average pooling and global average pooling, forward and backward, for
 * NCHW tensors (first part) and NHWC tensors (the layout of the convolution kernels; second part).
 *
 * Parameters (-D): none for most kernels (window, stride and padding are kernel arguments); the
 *   per-pixel tiled max-pool kernels at the end exist only with POOL_C, POOL_KH and POOL_KW.
 * Layout (NCHW part): float32, contiguous. A "plane" is one (n, c) image of H x W; planes = N * C.
 *   Output size: OH = (H + padTop + padBottom - KH) / SH + 1 (floor), same for OW.
 *   Host code guarantees pad < window, so every window holds at least one real pixel.
 * Launch: 3-D NDRange (x, y, plane) over the output (forward) or the input (backward), so no
 *   work-item divides to find its coordinates (integer division does not vectorise on CPUs);
 *   the global size may be rounded up, every kernel guards its coordinates.
 * Backward kernels GATHER (each input element sums the output windows that cover it), so there
 * are no float atomics and results are deterministic.
 */

/* Max pooling; argmax[i] = index (iy * W + ix) of the winner inside its plane (first max wins). */
__kernel void max_pool_fwd(__global const float* x, __global float* y, __global int* argmax,
                           const int H, const int W, const int OH, const int OW,
                           const int KH, const int KW, const int SH, const int SW,
                           const int padTop, const int padLeft, const int planes) {
    const int ox = get_global_id(0), oy = get_global_id(1), plane = get_global_id(2);
    if (ox >= OW || oy >= OH || plane >= planes) return;
    const size_t i = ((size_t)plane * OH + oy) * OW + ox;
    const __global float* xp = x + (size_t)plane * H * W;
    const int y0 = oy * SH - padTop;
    const int x0 = ox * SW - padLeft;
    float best = -INFINITY;
    int arg = -1;
    for (int ky = 0; ky < KH; ky++) {
        const int iy = y0 + ky;
        if (iy < 0 || iy >= H) continue;
        for (int kx = 0; kx < KW; kx++) {
            const int ix = x0 + kx;
            if (ix < 0 || ix >= W) continue;
            const float v = xp[iy * W + ix];
            if (arg < 0 || v > best) { best = v; arg = iy * W + ix; }
        }
    }
    y[i] = best;
    argmax[i] = arg;
}

/* First and last output index (inclusive) whose window covers input coordinate c. */
inline int first_window(const int c, const int pad, const int K, const int S) {
    const int a = c + pad - K + 1;
    return a <= 0 ? 0 : (a + S - 1) / S;
}
inline int last_window(const int c, const int pad, const int S, const int O) {
    return min((c + pad) / S, O - 1);
}
/* The input coordinates [window_start, window_end) of output o's window, clipped to the input (size N). */
inline int window_start(const int o, const int pad, const int S) {
    return max(o * S - pad, 0);
}
inline int window_end(const int o, const int pad, const int K, const int S, const int N) {
    return min(o * S - pad + K, N);
}

__kernel void max_pool_bwd(__global const float* dy, __global const int* argmax, __global float* dx,
                           const int H, const int W, const int OH, const int OW,
                           const int KH, const int KW, const int SH, const int SW,
                           const int padTop, const int padLeft, const int planes) {
    const int ix = get_global_id(0), iy = get_global_id(1), plane = get_global_id(2);
    if (ix >= W || iy >= H || plane >= planes) return;
    const size_t i = ((size_t)plane * H + iy) * W + ix;
    const int self = iy * W + ix;
    const size_t base = (size_t)plane * OH * OW;
    float sum = 0.0f;
    const int oy1 = last_window(iy, padTop, SH, OH), ox1 = last_window(ix, padLeft, SW, OW);
    for (int oy = first_window(iy, padTop, KH, SH); oy <= oy1; oy++) {
        for (int ox = first_window(ix, padLeft, KW, SW); ox <= ox1; ox++) {
            const size_t o = base + oy * OW + ox;
            if (argmax[o] == self) sum += dy[o];
        }
    }
    dx[i] = sum;
}

/* Divisor of one window: KH*KW when padding counts (PyTorch count_include_pad=True), else real pixels. */
inline float window_count(const int oy, const int ox, const int H, const int W, const int KH, const int KW,
                          const int SH, const int SW, const int padTop, const int padLeft, const int countPad) {
    if (countPad) return (float)(KH * KW);
    const int y0 = oy * SH - padTop, x0 = ox * SW - padLeft;
    const int h = min(y0 + KH, H) - max(y0, 0);
    const int w = min(x0 + KW, W) - max(x0, 0);
    return (float)(h * w);
}

__kernel void avg_pool_fwd(__global const float* x, __global float* y,
                           const int H, const int W, const int OH, const int OW,
                           const int KH, const int KW, const int SH, const int SW,
                           const int padTop, const int padLeft, const int countPad, const int planes) {
    const int ox = get_global_id(0), oy = get_global_id(1), plane = get_global_id(2);
    if (ox >= OW || oy >= OH || plane >= planes) return;
    const size_t i = ((size_t)plane * OH + oy) * OW + ox;
    const __global float* xp = x + (size_t)plane * H * W;
    const int y0 = oy * SH - padTop, x0 = ox * SW - padLeft;
    float sum = 0.0f;
    for (int iy = max(y0, 0); iy < min(y0 + KH, H); iy++) {
        for (int ix = max(x0, 0); ix < min(x0 + KW, W); ix++) sum += xp[iy * W + ix];
    }
    y[i] = sum / window_count(oy, ox, H, W, KH, KW, SH, SW, padTop, padLeft, countPad);
}

__kernel void avg_pool_bwd(__global const float* dy, __global float* dx,
                           const int H, const int W, const int OH, const int OW,
                           const int KH, const int KW, const int SH, const int SW,
                           const int padTop, const int padLeft, const int countPad, const int planes) {
    const int ix = get_global_id(0), iy = get_global_id(1), plane = get_global_id(2);
    if (ix >= W || iy >= H || plane >= planes) return;
    const size_t i = ((size_t)plane * H + iy) * W + ix;
    const __global float* dyp = dy + (size_t)plane * OH * OW;
    float sum = 0.0f;
    const int oy1 = last_window(iy, padTop, SH, OH), ox1 = last_window(ix, padLeft, SW, OW);
    for (int oy = first_window(iy, padTop, KH, SH); oy <= oy1; oy++) {
        for (int ox = first_window(ix, padLeft, KW, SW); ox <= ox1; ox++) {
            sum += dyp[oy * OW + ox] / window_count(oy, ox, H, W, KH, KW, SH, SW, padTop, padLeft, countPad);
        }
    }
    dx[i] = sum;
}

/* Global average pooling: one work-item per plane (planes are small, e.g. 7x7, at the head). */
__kernel void global_avg_fwd(__global const float* x, __global float* y, const int HW, const int planes) {
    const int p = get_global_id(0);
    if (p >= planes) return;
    const __global float* xp = x + (size_t)p * HW;
    float sum = 0.0f;
    for (int k = 0; k < HW; k++) sum += xp[k];
    y[p] = sum / (float)HW;
}

/* 2-D launch (k over HW, plane). */
__kernel void global_avg_bwd(__global const float* dy, __global float* dx, const int HW, const int planes) {
    const int k = get_global_id(0), plane = get_global_id(1);
    if (k >= HW || plane >= planes) return;
    dx[(size_t)plane * HW + k] = dy[plane] / (float)HW;
}

/*
 * NHWC pooling: x [N][H][W][C], y [N][OH][OW][C], float32, contiguous.
 *   OH = (H + 2*PH - KH) / SH + 1 (floor), same for OW; host code keeps pad < window.
 * Launch: one work-item per output element (forward) or per input element (backward); the
 *   global size may be rounded up, every kernel guards its index. Consecutive work-items walk
 *   the channels, so loads of one pixel's channels are contiguous. Backward kernels gather.
 * relu != 0 (max pooling of a ReLU's output with the ReLU folded in; relu(max) == max(relu)):
 *   y = max(0, window max) and argmax = -1 where that is 0, so the unchanged backward kernels
 *   route dy only where y > 0, as ReLU's backward after the pool's would.
 */
__kernel void maxpool_nhwc_fwd(__global const float* x, __global float* y, __global int* argmax,
                               const int H, const int W, const int C, const int OH, const int OW,
                               const int KH, const int KW, const int SH, const int SW,
                               const int PH, const int PW, const int relu, const int total) {
    const int i = get_global_id(0);
    if (i >= total) return;
    const int c = i % C;
    int t = i / C;
    const int ox = t % OW; t /= OW;
    const int oy = t % OH;
    const int n = t / OH;
    float best = relu ? 0.0f : -INFINITY;
    int where = -1;
    const int iy1 = window_end(oy, PH, KH, SH, H), ix1 = window_end(ox, PW, KW, SW, W);
    for (int iy = window_start(oy, PH, SH); iy < iy1; iy++) {
        for (int ix = window_start(ox, PW, SW); ix < ix1; ix++) {
            const float v = x[(((size_t)n * H + iy) * W + ix) * C + c];
            if (v > best || (where < 0 && !relu)) { best = v; where = iy * W + ix; }
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
    const int oyLo = first_window(iy, PH, KH, SH), oyHi = last_window(iy, PH, SH, OH);
    const int oxLo = first_window(ix, PW, KW, SW), oxHi = last_window(ix, PW, SW, OW);
    float sum = 0.0f;
    for (int oy = oyLo; oy <= oyHi; oy++) {
        for (int ox = oxLo; ox <= oxHi; ox++) {
            const size_t o = (((size_t)n * OH + oy) * OW + ox) * C + c;
            if (argmax[o] == here) sum += dy[o];
        }
    }
    dx[i] = sum;
}

/*
 * The same max pooling for C % 16 == 0, one float16 of channels per work-item: grid {C/16, OW, N*OH}
 * (forward) or {C/16, W, N*H} (backward), so no work-item divides an element index and every load,
 * compare and select is a whole vector (the scalar kernels above cost 20-40x more at ResNet-18's
 * 3x3/2 stem pool). Same winners (first max, -inf/NaN rules as above) and the same summation order
 * in backward, so the results are bit-identical to maxpool_nhwc_fwd/_bwd.
 */
__kernel void maxpool_nhwc_fwd_v16(__global const float* x, __global float* y, __global int* argmax,
                                   const int H, const int W, const int C, const int OH, const int OW,
                                   const int KH, const int KW, const int SH, const int SW,
                                   const int PH, const int PW, const int relu) {
    const int c0 = get_global_id(0) * 16, ox = get_global_id(1), z = get_global_id(2);
    const int oy = z % OH, n = z / OH;
    float16 best = (float16)(relu ? 0.0f : -INFINITY);
    int16 where = (int16)(-1);
    const int16 unset = (int16)(relu ? 0 : -1);   /* all bits set: the first pixel wins unless ReLU is folded in */
    const int iy1 = window_end(oy, PH, KH, SH, H), ix1 = window_end(ox, PW, KW, SW, W);
    for (int iy = window_start(oy, PH, SH); iy < iy1; iy++) {
        for (int ix = window_start(ox, PW, SW); ix < ix1; ix++) {
            const float16 v = vload16(0, x + (((size_t)n * H + iy) * W + ix) * C + c0);
            const int16 better = isgreater(v, best) | ((where < 0) & unset);
            best = select(best, v, better);
            where = select(where, (int16)(iy * W + ix), better);
        }
    }
    const size_t o = (((size_t)n * OH + oy) * OW + ox) * C + c0;
    vstore16(best, 0, y + o);
    vstore16(where, 0, argmax + o);
}

__kernel void maxpool_nhwc_bwd_v16(__global const float* dy, __global const int* argmax, __global float* dx,
                                   const int H, const int W, const int C, const int OH, const int OW,
                                   const int KH, const int KW, const int SH, const int SW,
                                   const int PH, const int PW) {
    const int c0 = get_global_id(0) * 16, ix = get_global_id(1), z = get_global_id(2);
    const int iy = z % H, n = z / H;
    const int16 here = (int16)(iy * W + ix);
    const int oyLo = first_window(iy, PH, KH, SH), oyHi = last_window(iy, PH, SH, OH);
    const int oxLo = first_window(ix, PW, KW, SW), oxHi = last_window(ix, PW, SW, OW);
    float16 sum = (float16)(0.0f);
    for (int oy = oyLo; oy <= oyHi; oy++) {
        for (int ox = oxLo; ox <= oxHi; ox++) {
            const size_t o = (((size_t)n * OH + oy) * OW + ox) * C + c0;
            sum += select((float16)(0.0f), vload16(0, dy + o), vload16(0, argmax + o) == here);
        }
    }
    vstore16(sum, 0, dx + (((size_t)n * H + iy) * W + ix) * C + c0);
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
    float sum = 0.0f;
    int count = 0;
    const int iy1 = window_end(oy, PH, KH, SH, H), ix1 = window_end(ox, PW, KW, SW, W);
    for (int iy = window_start(oy, PH, SH); iy < iy1; iy++) {
        for (int ix = window_start(ox, PW, SW); ix < ix1; ix++) {
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
    const int oyLo = first_window(iy, PH, KH, SH), oyHi = last_window(iy, PH, SH, OH);
    const int oxLo = first_window(ix, PW, KW, SW), oxHi = last_window(ix, PW, SW, OW);
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
                                     const int W, const int C, const int OW, const int KH, const int KW, const int relu) {
    const int c = get_global_id(0), ox = get_global_id(1), z = get_global_id(2);   /* z = n * OH + oy */
    const int rowStride = W * C;
    const __global float* base = x + (size_t)z * KH * rowStride + (size_t)ox * KW * C + c;
    const float first = base[0];   /* loaded unconditionally: a conditional load keeps PoCL from vectorising */
    float best = relu ? 0.0f : first;
    int where = relu ? -1 : 0;
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

#ifdef POOL_C
/*
 * The tiled max pooling again, one work-item per output pixel with every channel (-D POOL_C,
 * POOL_KH, POOL_KW fixed at build time): grid {OW, N*OH}. A pixel's channels are contiguous in x,
 * y and dx, so they go in explicit vector runs: float16s, then one float8, float4, float2 and float
 * as POOL_C's bits say (6 = 4 + 2, 20 = 16 + 4). Every load, compare, select and store is a whole
 * vector with no gather, where the (C, OW, N*OH) kernels fill 6 of 16 lanes at LeNet's 6 channels and
 * the compiler made no wide vectors of a plain channel loop there. Backward writes every dx element of its
 * window (dy where the argmax points at it, else 0), so no zero fill runs first. Same winners and
 * argmax as maxpool_nhwc_*_tiled: per channel the same compares (v > best) in the same order.
 */
#define POOL_C8 (POOL_C / 16 * 16)          /* where the run of 8 starts (after the float16s) */
#define POOL_C4 (POOL_C8 + (POOL_C & 8))
#define POOL_C2 (POOL_C4 + (POOL_C & 4))
#define POOL_C1 (POOL_C2 + (POOL_C & 2))

/* One run of channels [o, o + width) of one output pixel; FT/IT are its float and int types. */
#define POOL_FWD_RUN(FT, IT, LOAD, STORE, GREATER, SELECT, o) { \
    FT best = relu ? (FT)(0.0f) : LOAD(base + (o)); \
    IT where = (IT)(relu ? -1 : 0); \
    _Pragma("unroll") for (int ky = 0; ky < POOL_KH; ky++) { \
        _Pragma("unroll") for (int kx = 0; kx < POOL_KW; kx++) { \
            const FT v = LOAD(base + ky * rowStride + kx * POOL_C + (o)); \
            const IT better = GREATER(v, best); \
            best = SELECT(best, v, better); \
            where = SELECT(where, (IT)(ky * POOL_KW + kx), better); \
        } \
    } \
    STORE(best, y + out + (o)); \
    STORE(where, argmax + out + (o)); }

#define POOL_BWD_RUN(FT, IT, LOAD, STORE, SELECT, o) { \
    const FT g = LOAD(dy + out + (o)); \
    const IT where = LOAD(argmax + out + (o)); \
    _Pragma("unroll") for (int ky = 0; ky < POOL_KH; ky++) { \
        _Pragma("unroll") for (int kx = 0; kx < POOL_KW; kx++) \
            STORE(SELECT((FT)(0.0f), g, where == (IT)(ky * POOL_KW + kx)), base + ky * rowStride + kx * POOL_C + (o)); \
    } }

#define POOL_L16(p) vload16(0, p)
#define POOL_S16(v, p) vstore16(v, 0, p)
#define POOL_L8(p) vload8(0, p)
#define POOL_S8(v, p) vstore8(v, 0, p)
#define POOL_L4(p) vload4(0, p)
#define POOL_S4(v, p) vstore4(v, 0, p)
#define POOL_L2(p) vload2(0, p)
#define POOL_S2(v, p) vstore2(v, 0, p)
#define POOL_L1(p) (*(p))
#define POOL_S1(v, p) (*(p) = (v))
#define POOL_GREATER1(a, b) ((a) > (b))
#define POOL_SELECT1(a, b, c) ((c) ? (b) : (a))

__kernel void maxpool_nhwc_fwd_px(__global const float* restrict x, __global float* restrict y, __global int* restrict argmax,
                                  const int W, const int OW, const int relu) {
    const int ox = get_global_id(0), z = get_global_id(1);   /* z = n * OH + oy */
    const int rowStride = W * POOL_C;
    const __global float* base = x + ((size_t)z * POOL_KH * W + ox * POOL_KW) * POOL_C;
    const size_t out = ((size_t)z * OW + ox) * POOL_C;
    for (int o = 0; o < POOL_C8; o += 16) POOL_FWD_RUN(float16, int16, POOL_L16, POOL_S16, isgreater, select, o)
    if (POOL_C & 8) POOL_FWD_RUN(float8, int8, POOL_L8, POOL_S8, isgreater, select, POOL_C8)
    if (POOL_C & 4) POOL_FWD_RUN(float4, int4, POOL_L4, POOL_S4, isgreater, select, POOL_C4)
    if (POOL_C & 2) POOL_FWD_RUN(float2, int2, POOL_L2, POOL_S2, isgreater, select, POOL_C2)
    if (POOL_C & 1) POOL_FWD_RUN(float, int, POOL_L1, POOL_S1, POOL_GREATER1, POOL_SELECT1, POOL_C1)
}

__kernel void maxpool_nhwc_bwd_px(__global const float* restrict dy, __global const int* restrict argmax, __global float* restrict dx,
                                  const int W, const int OW) {
    const int ox = get_global_id(0), z = get_global_id(1);
    const int rowStride = W * POOL_C;
    __global float* base = dx + ((size_t)z * POOL_KH * W + ox * POOL_KW) * POOL_C;
    const size_t out = ((size_t)z * OW + ox) * POOL_C;
    for (int o = 0; o < POOL_C8; o += 16) POOL_BWD_RUN(float16, int16, POOL_L16, POOL_S16, select, o)
    if (POOL_C & 8) POOL_BWD_RUN(float8, int8, POOL_L8, POOL_S8, select, POOL_C8)
    if (POOL_C & 4) POOL_BWD_RUN(float4, int4, POOL_L4, POOL_S4, select, POOL_C4)
    if (POOL_C & 2) POOL_BWD_RUN(float2, int2, POOL_L2, POOL_S2, select, POOL_C2)
    if (POOL_C & 1) POOL_BWD_RUN(float, int, POOL_L1, POOL_S1, POOL_SELECT1, POOL_C1)
}
#endif
