/*
 * batchnorm_nhwc.cl - the per-channel reductions of batch normalisation for NHWC activations
 * (statistics forward, dgamma/dbeta backward), with rows split into chunks so every core works
 * even when there are few channels. The element-wise parts (normalise, input gradient) use
 * batchnorm.cl's bn_apply/bn_bwd_apply on the [rows, C, 1, 1] view. A stop-gap beside
 * batchnorm.cl (whose reductions run one work-group per channel), to be folded into it.
 *
 * Parameters (-D): none. Layout: x, dy [rows][C] (rows = N*H*W), float32.
 * Launch: *_sum kernels over the grid (C, chunks), chunk k covering rows
 *   [k*rowsPerChunk, min(rows, (k+1)*rowsPerChunk)); *_finish kernels over C work-items sum the
 *   chunks in order (deterministic, no atomics). Two passes for the variance (mean first), as
 *   batchnorm.cl, so large means do not cancel.
 */

/* partial[chunk][c] = sum over the chunk's rows of (x - shift[c])^power, power 1 or 2 (shift = mean for 2). */
__kernel void bn_nhwc_sum(__global const float* x, __global const float* mean, __global float* partial,
                          const int rows, const int C, const int rowsPerChunk, const int squares) {
    const int c = get_global_id(0), chunk = get_global_id(1);
    const int r0 = chunk * rowsPerChunk, r1 = min(rows, r0 + rowsPerChunk);
    const float m = squares ? mean[c] : 0.0f;
    float s = 0.0f;
    for (int r = r0; r < r1; r++) {
        const float v = x[(size_t)r * C + c] - m;
        s += squares ? v * v : v;
    }
    partial[(size_t)chunk * C + c] = s;
}

__kernel void bn_nhwc_finish_mean(__global const float* partial, __global float* mean, const int chunks, const int C, const int rows) {
    const int c = get_global_id(0);
    if (c >= C) return;
    float s = 0.0f;
    for (int k = 0; k < chunks; k++) s += partial[(size_t)k * C + c];
    mean[c] = s / (float)rows;
}

/* invstd = 1/sqrt(var + eps) with the biased variance; running stats as PyTorch (unbiased variance). */
__kernel void bn_nhwc_finish_var(__global const float* partial, __global const float* mean, __global float* invstd,
                                 __global float* runMean, __global float* runVar, const int chunks, const int C,
                                 const int rows, const float eps, const float momentum) {
    const int c = get_global_id(0);
    if (c >= C) return;
    float s = 0.0f;
    for (int k = 0; k < chunks; k++) s += partial[(size_t)k * C + c];
    const float var = s / (float)rows;
    invstd[c] = rsqrt(var + eps);
    const float unbiased = rows > 1 ? var * (float)rows / (float)(rows - 1) : var;
    runMean[c] = (1.0f - momentum) * runMean[c] + momentum * mean[c];
    runVar[c] = (1.0f - momentum) * runVar[c] + momentum * unbiased;
}

/* partial[chunk][c] = sum dy, partial[chunks + chunk][c] = sum dy * (x - mean) * invstd. */
__kernel void bn_nhwc_bwd_sum(__global const float* x, __global const float* dy, __global const float* mean,
                              __global const float* invstd, __global float* partial,
                              const int rows, const int C, const int rowsPerChunk, const int chunks) {
    const int c = get_global_id(0), chunk = get_global_id(1);
    const int r0 = chunk * rowsPerChunk, r1 = min(rows, r0 + rowsPerChunk);
    const float m = mean[c], is = invstd[c];
    float sdy = 0.0f, sdyx = 0.0f;
    for (int r = r0; r < r1; r++) {
        const size_t i = (size_t)r * C + c;
        sdy += dy[i];
        sdyx += dy[i] * (x[i] - m) * is;
    }
    partial[(size_t)chunk * C + c] = sdy;
    partial[(size_t)(chunks + chunk) * C + c] = sdyx;
}

__kernel void bn_nhwc_finish_bwd(__global const float* partial, __global float* dgamma, __global float* dbeta,
                                 const int chunks, const int C) {
    const int c = get_global_id(0);
    if (c >= C) return;
    float sdy = 0.0f, sdyx = 0.0f;
    for (int k = 0; k < chunks; k++) {
        sdy += partial[(size_t)k * C + c];
        sdyx += partial[(size_t)(chunks + k) * C + c];
    }
    dbeta[c] = sdy;
    dgamma[c] = sdyx;
}
