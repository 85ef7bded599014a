/*
 * style.cl - neural style transfer: Gram (style) matrices, cost reductions and their gradients,
 *   relu6, and the pixel-space ends of the feature network (normalise in, clamp after a step).
 *
 * Kernels:
 *   gram            G[k][j] = sum_p F[p][k] * F[p][j]; F is one NHWC feature map seen as
 *                   [P = H*W][C]. 2-D launch over (C rounded up to TILE, C rounded up to TILE),
 *                   work-group TILE x TILE; both F tiles go through local memory.
 *   gram_backward   dF[p][j] = coef * sum_k F[p][k] * D[k][j] (+ dF[p][j] when accumulate != 0):
 *                   the gradient of coef/4 * sum (G - G_target)^2 with D = G - G_target (symmetric).
 *                   2-D launch over (C up, P up), work-group TILE x TILE.
 *   diff_squares    d = a - b, and per work-group partial sums of d^2 (the host adds the partials
 *                   in double). Launch: groups x REDUCE_LOCAL items; items stride over n.
 *   relu6_fwd/_bwd  y = min(max(x, 0), 6); dx = dy where 0 < x < 6, else 0.
 *   pixels_to_input x = g * scale + shift[c] for interleaved RGB pixels (c = i % 3): the
 *                   network's normalisation; input_to_pixels_grad is its backward (dg = dx * scale).
 *   clamp_pixels    g = min(max(g, lo), hi) after each optimiser step.
 * Parameters (-D): TILE (default 16), REDUCE_LOCAL (default 64, a power of two).
 * Layout: feature maps NHWC with batch 1; Gram matrices [C][C] row-major. Element-wise kernels
 *   take a global size rounded up to their work-group (guarded).
 */

#ifndef TILE
#define TILE 16
#endif
#ifndef REDUCE_LOCAL
#define REDUCE_LOCAL 64
#endif

__kernel __attribute__((reqd_work_group_size(TILE, TILE, 1)))
void gram(__global const float* f, __global float* g, const int p, const int c) {
    __local float a[TILE][TILE];
    __local float b[TILE][TILE];
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int j = get_global_id(0);             /* column of G */
    const int k0 = get_group_id(1) * TILE;      /* first row of G in this tile */
    const int j0 = get_group_id(0) * TILE;
    float acc = 0.0f;
    for (int p0 = 0; p0 < p; p0 += TILE) {
        /* Row ty of both tiles is pixel p0 + ty; column tx is channel k0 + tx or j0 + tx. */
        const int q = p0 + ty;
        a[ty][tx] = (q < p && k0 + tx < c) ? f[q * c + k0 + tx] : 0.0f;
        b[ty][tx] = (q < p && j0 + tx < c) ? f[q * c + j0 + tx] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int t = 0; t < TILE; t++) acc += a[t][ty] * b[t][tx];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const int k = k0 + ty;
    if (k < c && j < c) g[k * c + j] = acc;
}

__kernel __attribute__((reqd_work_group_size(TILE, TILE, 1)))
void gram_backward(__global const float* f, __global const float* d, __global float* df,
                   const int p, const int c, const float coef, const int accumulate) {
    __local float a[TILE][TILE];
    __local float b[TILE][TILE];
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int j = get_global_id(0);              /* channel of dF */
    const int row = get_global_id(1);            /* pixel of dF */
    float acc = 0.0f;
    for (int k0 = 0; k0 < c; k0 += TILE) {
        a[ty][tx] = (row < p && k0 + tx < c) ? f[row * c + k0 + tx] : 0.0f;
        b[ty][tx] = (k0 + ty < c && j < c) ? d[(k0 + ty) * c + j] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int t = 0; t < TILE; t++) acc += a[ty][t] * b[t][tx];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < p && j < c) {
        const int i = row * c + j;
        df[i] = coef * acc + (accumulate ? df[i] : 0.0f);
    }
}

__kernel __attribute__((reqd_work_group_size(REDUCE_LOCAL, 1, 1)))
void diff_squares(__global const float* a, __global const float* b, __global float* d,
                  __global float* partial, const int n) {
    __local float sums[REDUCE_LOCAL];
    const int lid = get_local_id(0);
    float s = 0.0f;
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        const float v = a[i] - b[i];
        d[i] = v;
        s += v * v;
    }
    sums[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int step = REDUCE_LOCAL / 2; step > 0; step >>= 1) {
        if (lid < step) sums[lid] += sums[lid + step];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) partial[get_group_id(0)] = sums[0];
}

__kernel void relu6_fwd(__global const float* x, __global float* y, const int n) {
    const int i = get_global_id(0);
    if (i < n) y[i] = fmin(fmax(x[i], 0.0f), 6.0f);
}

__kernel void relu6_bwd(__global const float* x, __global const float* dy, __global float* dx, const int n) {
    const int i = get_global_id(0);
    if (i < n) { const float v = x[i]; dx[i] = (v > 0.0f && v < 6.0f) ? dy[i] : 0.0f; }
}

__kernel void pixels_to_input(__global const float* g, __global float* x, const float scale,
                              const float shift0, const float shift1, const float shift2, const int n) {
    const int i = get_global_id(0);
    if (i >= n) return;
    const int ch = i % 3;
    x[i] = g[i] * scale + (ch == 0 ? shift0 : ch == 1 ? shift1 : shift2);
}

__kernel void input_to_pixels_grad(__global const float* dx, __global float* dg, const float scale, const int n) {
    const int i = get_global_id(0);
    if (i < n) dg[i] = dx[i] * scale;
}

__kernel void clamp_pixels(__global float* g, const float lo, const float hi, const int n) {
    const int i = get_global_id(0);
    if (i < n) g[i] = fmin(fmax(g[i], lo), hi);
}
