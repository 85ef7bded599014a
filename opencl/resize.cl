/*
 * resize.cl - 2-D upsampling/resizing of NCHW tensors: nearest and bilinear, forward and backward,
 * matching PyTorch F.interpolate(size=(OH, OW), mode='nearest' | 'bilinear', align_corners=False).
 *
 * Parameters (-D): none. scaleH = H / OH and scaleW = W / OW (float, computed on the host).
 * Layout: NCHW float32; planes = N * C; x is [planes, H, W], y is [planes, OH, OW].
 * Nearest: source index = min(floor(dst * scale), in - 1).
 * Bilinear: src = max((dst + 0.5) * scale - 0.5, 0); i0 = floor(src), i1 = min(i0 + 1, in - 1),
 *   weight of i1 = src - i0 (PyTorch's area_pixel_compute_source_index).
 * Launch: 3-D NDRange (x, y, plane) over the output (forward) or input (backward), guarded.
 * Backward kernels GATHER: each input pixel loops over the output pixels that can read it
 * (a conservative range, re-checked exactly), so no float atomics are needed.
 * NHWC forms (nearest_fwd_nhwc, bilinear_fwd_nhwc; inference of imported ONNX Resize): x is
 * [N, H, W, C], y is [N, OH, OW, C]; the same source coordinates, with the step per axis given by
 * the host (ONNX scales: 1 / scale; ONNX sizes: in / out); 3-D NDRange (c, ox, n * OH + oy).
 * Java twin: nn/ops/UpsampleReference; tests: UpsampleTest.
 */

inline int nearest_src(const int d, const float scale, const int in) {
    return min((int)floor((float)d * scale), in - 1);
}

inline float linear_src(const int d, const float scale) {
    return fmax(((float)d + 0.5f) * scale - 0.5f, 0.0f);
}

__kernel void nearest_fwd(__global const float* x, __global float* y, const int H, const int W,
                          const int OH, const int OW, const float scaleH, const float scaleW, const int planes) {
    const int ox = get_global_id(0), oy = get_global_id(1), plane = get_global_id(2);
    if (ox >= OW || oy >= OH || plane >= planes) return;
    const size_t i = ((size_t)plane * OH + oy) * OW + ox;
    y[i] = x[((size_t)plane * H + nearest_src(oy, scaleH, H)) * W + nearest_src(ox, scaleW, W)];
}

/* Output range [lo, hi] whose nearest source can be `c` (widened by one on each side, re-checked). */
__kernel void nearest_bwd(__global const float* dy, __global float* dx, const int H, const int W,
                          const int OH, const int OW, const float scaleH, const float scaleW, const int planes) {
    const int ix = get_global_id(0), iy = get_global_id(1), plane = get_global_id(2);
    if (ix >= W || iy >= H || plane >= planes) return;
    const size_t i = ((size_t)plane * H + iy) * W + ix;
    const int oy0 = max((int)floor((float)iy / scaleH) - 1, 0);
    const int oy1 = iy == H - 1 ? OH - 1 : min((int)ceil((float)(iy + 1) / scaleH) + 1, OH - 1);
    const int ox0 = max((int)floor((float)ix / scaleW) - 1, 0);
    const int ox1 = ix == W - 1 ? OW - 1 : min((int)ceil((float)(ix + 1) / scaleW) + 1, OW - 1);
    const __global float* g = dy + (size_t)plane * OH * OW;
    float sum = 0.0f;
    for (int oy = oy0; oy <= oy1; oy++) {
        if (nearest_src(oy, scaleH, H) != iy) continue;
        for (int ox = ox0; ox <= ox1; ox++) {
            if (nearest_src(ox, scaleW, W) == ix) sum += g[oy * OW + ox];
        }
    }
    dx[i] = sum;
}

__kernel void bilinear_fwd(__global const float* x, __global float* y, const int H, const int W,
                           const int OH, const int OW, const float scaleH, const float scaleW, const int planes) {
    const int ox = get_global_id(0), oy = get_global_id(1), plane = get_global_id(2);
    if (ox >= OW || oy >= OH || plane >= planes) return;
    const size_t i = ((size_t)plane * OH + oy) * OW + ox;
    const float sy = linear_src(oy, scaleH), sx = linear_src(ox, scaleW);
    const int y0 = (int)sy, x0 = (int)sx;
    const int y1 = min(y0 + 1, H - 1), x1 = min(x0 + 1, W - 1);
    const float ly = sy - (float)y0, lx = sx - (float)x0;
    const __global float* p = x + (size_t)plane * H * W;
    y[i] = (1.0f - ly) * ((1.0f - lx) * p[y0 * W + x0] + lx * p[y0 * W + x1])
         + ly * ((1.0f - lx) * p[y1 * W + x0] + lx * p[y1 * W + x1]);
}

/* Weight with which output coordinate d reads input coordinate c along one axis (0 if it does not). */
inline float linear_weight(const int d, const int c, const float scale, const int in) {
    const float s = linear_src(d, scale);
    const int i0 = (int)s;
    const int i1 = min(i0 + 1, in - 1);
    const float l = s - (float)i0;
    return (i0 == c ? 1.0f - l : 0.0f) + (i1 == c ? l : 0.0f);
}

__kernel void bilinear_bwd(__global const float* dy, __global float* dx, const int H, const int W,
                           const int OH, const int OW, const float scaleH, const float scaleW, const int planes) {
    const int ix = get_global_id(0), iy = get_global_id(1), plane = get_global_id(2);
    if (ix >= W || iy >= H || plane >= planes) return;
    const size_t i = ((size_t)plane * H + iy) * W + ix;
    /* Outputs reading c have source coordinates in (c - 1, c + 1); invert d -> (d + 0.5) * s - 0.5. */
    const int oy0 = max((int)floor(((float)iy - 0.5f) / scaleH - 0.5f) - 1, 0);
    const int oy1 = min((int)ceil(((float)iy + 1.5f) / scaleH - 0.5f) + 1, OH - 1);
    const int ox0 = max((int)floor(((float)ix - 0.5f) / scaleW - 0.5f) - 1, 0);
    const int ox1 = min((int)ceil(((float)ix + 1.5f) / scaleW - 0.5f) + 1, OW - 1);
    const __global float* g = dy + (size_t)plane * OH * OW;
    float sum = 0.0f;
    for (int oy = oy0; oy <= oy1; oy++) {
        const float wy = linear_weight(oy, iy, scaleH, H);
        if (wy == 0.0f) continue;
        for (int ox = ox0; ox <= ox1; ox++) {
            const float wx = linear_weight(ox, ix, scaleW, W);
            if (wx != 0.0f) sum += wy * wx * g[oy * OW + ox];
        }
    }
    dx[i] = sum;
}

__kernel void nearest_fwd_nhwc(__global const float* x, __global float* y, const int H, const int W, const int C,
                               const int OH, const int OW, const float scaleH, const float scaleW, const int rows) {
    const int c = get_global_id(0), ox = get_global_id(1), row = get_global_id(2);
    if (c >= C || ox >= OW || row >= rows) return;
    const int n = row / OH, oy = row % OH;
    y[((size_t)row * OW + ox) * C + c] = x[(((size_t)n * H + nearest_src(oy, scaleH, H)) * W + nearest_src(ox, scaleW, W)) * C + c];
}

__kernel void bilinear_fwd_nhwc(__global const float* x, __global float* y, const int H, const int W, const int C,
                                const int OH, const int OW, const float scaleH, const float scaleW, const int rows) {
    const int c = get_global_id(0), ox = get_global_id(1), row = get_global_id(2);
    if (c >= C || ox >= OW || row >= rows) return;
    const int n = row / OH, oy = row % OH;
    const float sy = linear_src(oy, scaleH), sx = linear_src(ox, scaleW);
    const int y0 = (int)sy, x0 = (int)sx;
    const int y1 = min(y0 + 1, H - 1), x1 = min(x0 + 1, W - 1);
    const float ly = sy - (float)y0, lx = sx - (float)x0;
    const __global float* p = x + (size_t)n * H * W * C + c;
    y[((size_t)row * OW + ox) * C + c] = (1.0f - ly) * ((1.0f - lx) * p[(y0 * W + x0) * C] + lx * p[(y0 * W + x1) * C])
                                       + ly * ((1.0f - lx) * p[(y1 * W + x0) * C] + lx * p[(y1 * W + x1) * C]);
}
