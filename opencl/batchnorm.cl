/*
 * batchnorm.cl - batch normalisation over the channels of an NCHW tensor (PyTorch BatchNorm2d),
 * and the chunked per-channel reductions for NHWC activations (bn_nhwc_*, last part).
 *
 * Parameters (-D): LOCAL_SIZE (power of two, default 128) = work-group size of the per-channel
 *   reductions; bn_stats and bn_bwd_reduce are launched as C work-groups of LOCAL_SIZE items.
 * Layout: x, y, dy, dx are NCHW float32 [N, C, H, W]; every per-channel vector is float[C].
 *   M = N * H * W values per channel.
 * Training: bn_stats computes the batch mean and biased variance in two passes (mean first,
 *   then squared deviations: no catastrophic cancellation), stores mean and 1/sqrt(var + eps),
 *   and updates the running statistics with momentum (running var uses the unbiased variance,
 *   as PyTorch does). bn_apply then normalises element-wise.
 * Backward: bn_bwd_reduce gives dbeta = sum(dy), dgamma = sum(dy * xhat) per channel;
 *   bn_bwd_apply gives dx = gamma * invstd / M * (M * dy - dbeta - xhat * dgamma).
 * Reductions use local memory trees, no float atomics. Element-wise kernels use a 3-D grid
 *   (HW, C, N) so no work-item divides to find its channel.
 */
#ifndef LOCAL_SIZE
#define LOCAL_SIZE 128
#endif

/* Sum of `partial` over the work-group; every item gets the result. */
inline float group_sum(__local float* partial, const float value) {
    const int lid = get_local_id(0);
    partial[lid] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int span = LOCAL_SIZE / 2; span > 0; span >>= 1) {
        if (lid < span) partial[lid] += partial[lid + span];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float total = partial[0];
    barrier(CLK_LOCAL_MEM_FENCE); /* partial is reused by the next call */
    return total;
}

/*
 * Cursor over the M values of channel c: item lid visits k = lid, lid + LOCAL_SIZE, ... as
 * (n, s) = (k / HW, k % HW), advanced by a precomputed step so the loop never divides.
 */
typedef struct { int n, s, dn, ds; } cursor;

inline cursor cursor_start(const int HW) {
    const int lid = get_local_id(0);
    cursor q = {lid / HW, lid % HW, LOCAL_SIZE / HW, LOCAL_SIZE % HW};
    return q;
}

inline void cursor_next(cursor* q, const int HW) {
    q->n += q->dn;
    q->s += q->ds;
    if (q->s >= HW) { q->s -= HW; q->n++; }
}

inline size_t cursor_offset(const cursor q, const int c, const int C, const int HW) {
    return ((size_t)q.n * C + c) * HW + q.s;
}

__kernel __attribute__((reqd_work_group_size(LOCAL_SIZE, 1, 1)))
void bn_stats(__global const float* x, __global float* mean, __global float* invstd,
              __global float* runMean, __global float* runVar,
              const int N, const int C, const int HW, const float eps, const float momentum) {
    __local float partial[LOCAL_SIZE];
    const int c = get_group_id(0);
    const int lid = get_local_id(0);
    const int M = N * HW;
    float sum = 0.0f;
    for (cursor q = cursor_start(HW); q.n < N; cursor_next(&q, HW)) sum += x[cursor_offset(q, c, C, HW)];
    const float mu = group_sum(partial, sum) / (float)M;
    float squares = 0.0f;
    for (cursor q = cursor_start(HW); q.n < N; cursor_next(&q, HW)) {
        const float d = x[cursor_offset(q, c, C, HW)] - mu;
        squares += d * d;
    }
    const float var = group_sum(partial, squares) / (float)M;
    if (lid == 0) {
        mean[c] = mu;
        invstd[c] = rsqrt(var + eps);
        const float unbiased = M > 1 ? var * (float)M / (float)(M - 1) : var;
        runMean[c] = (1.0f - momentum) * runMean[c] + momentum * mu;
        runVar[c] = (1.0f - momentum) * runVar[c] + momentum * unbiased;
    }
}

/* Element-wise kernels run on a 3-D grid (s in HW, c, n): the channel comes without division. */
#define ELEMENT_INDEX(i, c, C, HW, N)                                                  \
    const int s_ = get_global_id(0), c = get_global_id(1), n_ = get_global_id(2);    \
    if (s_ >= HW || c >= C || n_ >= N) return;                                        \
    const size_t i = ((size_t)n_ * C + c) * HW + s_

/* y = (x - mean[c]) * invstd[c] * gamma[c] + beta[c]. */
__kernel void bn_apply(__global const float* x, __global float* y, __global const float* mean,
                       __global const float* invstd, __global const float* gamma, __global const float* beta,
                       const int C, const int HW, const int N) {
    ELEMENT_INDEX(i, c, C, HW, N);
    y[i] = (x[i] - mean[c]) * invstd[c] * gamma[c] + beta[c];
}

/* Inference: the same with running statistics; 1/sqrt(var + eps) is recomputed per element (cheap). */
__kernel void bn_apply_running(__global const float* x, __global float* y, __global const float* runMean,
                               __global const float* runVar, __global const float* gamma, __global const float* beta,
                               const float eps, const int C, const int HW, const int N) {
    ELEMENT_INDEX(i, c, C, HW, N);
    y[i] = (x[i] - runMean[c]) * rsqrt(runVar[c] + eps) * gamma[c] + beta[c];
}

__kernel __attribute__((reqd_work_group_size(LOCAL_SIZE, 1, 1)))
void bn_bwd_reduce(__global const float* x, __global const float* dy, __global const float* mean,
                   __global const float* invstd, __global float* dgamma, __global float* dbeta,
                   const int N, const int C, const int HW) {
    __local float partial[LOCAL_SIZE];
    const int c = get_group_id(0);
    const int lid = get_local_id(0);
    const float mu = mean[c], is = invstd[c];
    float sdy = 0.0f, sdyx = 0.0f;
    for (cursor q = cursor_start(HW); q.n < N; cursor_next(&q, HW)) {
        const size_t o = cursor_offset(q, c, C, HW);
        const float g = dy[o];
        sdy += g;
        sdyx += g * (x[o] - mu) * is;
    }
    const float totalDy = group_sum(partial, sdy);
    const float totalDyXhat = group_sum(partial, sdyx);
    if (lid == 0) {
        dbeta[c] = totalDy;
        dgamma[c] = totalDyXhat;
    }
}

__kernel void bn_bwd_apply(__global const float* x, __global const float* dy, __global const float* mean,
                           __global const float* invstd, __global const float* gamma,
                           __global const float* dgamma, __global const float* dbeta, __global float* dx,
                           const int M, const int C, const int HW, const int N) {
    ELEMENT_INDEX(i, c, C, HW, N);
    const float is = invstd[c];
    const float xhat = (x[i] - mean[c]) * is;
    dx[i] = gamma[c] * is / (float)M * ((float)M * dy[i] - dbeta[c] - xhat * dgamma[c]);
}

/*
 * NHWC reductions (statistics forward, dgamma/dbeta backward), with rows split into chunks so every
 * core works even when there are few channels. The element-wise parts (normalise, input gradient)
 * use bn_apply/bn_bwd_apply above on the [rows, C, 1, 1] view.
 * Layout: x, dy [rows][C] (rows = N*H*W), float32.
 * Launch: *_sum kernels over the grid (C, chunks) rounded up to whole work-groups (chunks past the
 *   rows write nothing; the work-group size follows C, not the rows), chunk k covering rows
 *   [k*rowsPerChunk, min(rows, (k+1)*rowsPerChunk)); *_finish kernels over C work-items sum the
 *   chunks in order (deterministic, no atomics). Two passes for the variance (mean first).
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
    if (r0 < rows) partial[(size_t)chunk * C + c] = s; /* the grid is rounded up to whole groups */
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
    if (chunk < chunks) { /* the grid is rounded up to whole groups */
        partial[(size_t)chunk * C + c] = sdy;
        partial[(size_t)(chunks + chunk) * C + c] = sdyx;
    }
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
