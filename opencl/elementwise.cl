/*
 * elementwise.cl - element-wise arithmetic on flat float arrays.
 *
 * Kernels: axpy (y = a*x + y), add (z = x + y; residual connections), scale (x *= a),
 *   concat_channels / split_channels (Inception-style concatenation along C and its backward),
 *   channel_affine (NHWC y = (x - sub[c]) * mul[c] + add[c]: input normalisation, folded batch
 *   norm / scale layers), zero_pad_nhwc (zeros around an NHWC map and after its channels).
 * Parameters: none (one work-item per element; launch with global size >= n).
 * Layout: flat arrays; every kernel guards i < n so the global size may be rounded up.
 *   concat/split assume NCHW: a part [N, Cp, H, W] sits at channels [offset, offset + Cp) of the
 *   whole [N, Ctotal, H, W]; one launch per part on a 2-D grid (element of one sample's part,
 *   sample), so no work-item divides.
 */

__kernel void axpy(const float a, __global const float* x, __global float* y, const int n) {
    const int i = get_global_id(0);
    if (i < n) y[i] = a * x[i] + y[i];
}

__kernel void add(__global const float* x, __global const float* y, __global float* z, const int n) {
    const int i = get_global_id(0);
    if (i < n) z[i] = x[i] + y[i];
}

__kernel void scale(const float a, __global float* x, const int n) {
    const int i = get_global_id(0);
    if (i < n) x[i] *= a;
}

/* whole[n, offset + c, h, w] = part[n, c, h, w]; partPlane = Cp * H * W, wholePlane = Ctotal * H * W. */
__kernel void concat_channels(__global const float* part, __global float* whole, const int partPlane,
                              const int wholePlane, const int offsetElems, const int N) {
    const int k = get_global_id(0), b = get_global_id(1);
    if (k >= partPlane || b >= N) return;
    whole[(size_t)b * wholePlane + offsetElems + k] = part[(size_t)b * partPlane + k];
}

/* The inverse copy: part[n, c, h, w] = whole[n, offset + c, h, w] (backward of concat). */
__kernel void split_channels(__global const float* whole, __global float* part, const int partPlane,
                             const int wholePlane, const int offsetElems, const int N) {
    const int k = get_global_id(0), b = get_global_id(1);
    if (k >= partPlane || b >= N) return;
    part[(size_t)b * partPlane + k] = whole[(size_t)b * wholePlane + offsetElems + k];
}

/*
 * NHWC per-channel affine map y = (x - sub[c]) * mul[c] + add[c], in this order so input
 * normalisation (x - mean) * (1/255) rounds like the subtract-then-scale it replaces.
 * 2-D grid (channel, pixel) so no work-item divides; x and y may be the same buffer.
 */
__kernel void channel_affine(__global const float* x, __global float* y, __constant float* sub,
                             __constant float* mul, __constant float* add, const int C, const int pixels) {
    const int c = get_global_id(0), p = get_global_id(1);
    if (c >= C || p >= pixels) return;
    const size_t i = (size_t)p * C + c;
    y[i] = (x[i] - sub[c]) * mul[c] + add[c];
}

/*
 * out[n][oy][ox][oc] of an [N][OH][OW][OC] map = in[n][oy - top][ox - left][oc] inside the
 * [H][W][C] source, 0 elsewhere (rows/columns padded on any side, channels appended after).
 * Grid (OC, OW, N * OH): one work-item per output element.
 */
__kernel void zero_pad_nhwc(__global const float* in, __global float* out, const int H, const int W, const int C,
                            const int OH, const int OW, const int OC, const int top, const int left, const int NOH) {
    const int oc = get_global_id(0), ox = get_global_id(1), z = get_global_id(2);
    if (oc >= OC || ox >= OW || z >= NOH) return;
    const int n = z / OH, oy = z - n * OH;
    const int iy = oy - top, ix = ox - left;
    float v = 0.0f;
    if (oc < C && iy >= 0 && iy < H && ix >= 0 && ix < W) v = in[(((size_t)n * H + iy) * W + ix) * C + oc];
    out[(((size_t)n * OH + oy) * OW + ox) * OC + oc] = v;
}
