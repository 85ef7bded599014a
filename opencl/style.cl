/*
 * style.cl - neural style transfer: Gram (style) matrices, cost reductions and their gradients,
 *   and the pixel-space ends of the feature network (normalise in, clamp after a step).
 *
 * Kernels:
 *   gram            G[k][j] = sum_p F[p][k] * F[p][j]; F is one NHWC feature map seen as
 *                   [P = H*W][C]. 2-D launch over (C, ceil(C / ROWS)), any work-group.
 *   gram_backward   dF[p][j] = coef * sum_k F[p][k] * D[k][j] (+ dF[p][j] when accumulate != 0):
 *                   the gradient of coef/4 * sum (G - G_target)^2 with D = G - G_target (symmetric).
 *                   2-D launch over (C, ceil(P / ROWS)), any work-group.
 *   diff_squares    d = scale * (a - b), and per work-group partial sums of (a - b)^2 (the host
 *                   adds the partials in double); scale * (a - b) is the gradient of scale/2 * sum.
 *                   Launch: groups x REDUCE_LOCAL items; items stride over n.
 *   pixels_to_input x = g * scale + shift[c] for interleaved RGB pixels (c = i % 3): the
 *                   network's normalisation; input_to_pixels_grad is its backward (dg = dx * scale).
 *   clamp_pixels    g = min(max(g, lo), hi) after each optimiser step.
 * Parameters (-D): ROWS (outputs per work-item, default 8), REDUCE_LOCAL (default 64, a power of two).
 * Layout: feature maps NHWC with batch 1; Gram matrices [C][C] row-major. Element-wise kernels
 *   take a global size rounded up to their work-group (guarded).
 */

#ifndef ROWS
#define ROWS 8
#endif
#ifndef REDUCE_LOCAL
#define REDUCE_LOCAL 64
#endif

/*
 * Work-item (j, r) computes rows k = r*ROWS .. r*ROWS+ROWS-1 of column j: neighbouring items
 * read neighbouring channels of one pixel (PoCL vectorises across them) and each F[p][k] they
 * share is one broadcast load. No local memory: barriers cost more than they save on CPUs.
 */
__kernel void gram(__global const float* f, __global float* g, const int p, const int c) {
    const int j = get_global_id(0);
    const int k0 = get_global_id(1) * ROWS;
    if (j >= c || k0 >= c) return;
    float acc[ROWS];
    for (int r = 0; r < ROWS; r++) acc[r] = 0.0f;
    for (int q = 0; q < p; q++) {
        __global const float* row = f + q * c;
        const float fj = row[j];
        for (int r = 0; r < ROWS; r++) acc[r] += row[min(k0 + r, c - 1)] * fj; /* rows past c are computed, not stored */
    }
    for (int r = 0; r < ROWS && k0 + r < c; r++) g[(k0 + r) * c + j] = acc[r];
}

/* Work-item (j, r) computes pixels r*ROWS .. r*ROWS+ROWS-1 of channel j. */
__kernel void gram_backward(__global const float* f, __global const float* d, __global float* df,
                            const int p, const int c, const float coef, const int accumulate) {
    const int j = get_global_id(0);
    const int p0 = get_global_id(1) * ROWS;
    if (j >= c || p0 >= p) return;
    float acc[ROWS];
    for (int r = 0; r < ROWS; r++) acc[r] = 0.0f;
    for (int k = 0; k < c; k++) {
        const float dkj = d[k * c + j];
        for (int r = 0; r < ROWS; r++) acc[r] += f[min(p0 + r, p - 1) * c + k] * dkj;
    }
    for (int r = 0; r < ROWS && p0 + r < p; r++) {
        const int i = (p0 + r) * c + j;
        df[i] = coef * acc[r] + (accumulate ? df[i] : 0.0f);
    }
}

__kernel __attribute__((reqd_work_group_size(REDUCE_LOCAL, 1, 1)))
void diff_squares(__global const float* a, __global const float* b, __global float* d,
                  __global float* partial, const float scale, const int n) {
    __local float sums[REDUCE_LOCAL];
    const int lid = get_local_id(0);
    float s = 0.0f;
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        const float v = a[i] - b[i];
        d[i] = scale * v;
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
