/*
 * loss.cl - softmax and fused softmax + cross-entropy over class logits.
 *
 * Layout: logits [N, C] row-major (one row per sample); labels int[N] in [0, C).
 * Parameters (-D): REDUCE_LOCAL (power of two, default 64) = work-group size of mean_reduce.
 * Numerics: log-sum-exp with the row max subtracted, so large logits never overflow.
 * softmax_xent_fwd writes the per-row loss and dLogits = (softmax - onehot) / N (gradient of the
 * MEAN loss); mean_reduce then sums the rows in one work-group (no float atomics).
 * An out-of-range label yields a NaN loss for that row (the host validates labels it uploads).
 * batch_stats accumulates loss, accuracy and the first non-finite step over a training epoch on the
 * device (one work-group of REDUCE_LOCAL items), so the host reads them once per epoch.
 */
#ifndef REDUCE_LOCAL
#define REDUCE_LOCAL 64
#endif

__kernel void softmax_fwd(__global const float* x, __global float* y, const int N, const int C) {
    const int r = get_global_id(0);
    if (r >= N) return;
    const __global float* row = x + (size_t)r * C;
    __global float* out = y + (size_t)r * C;
    float m = -INFINITY;
    for (int j = 0; j < C; j++) m = fmax(m, row[j]);
    float s = 0.0f;
    for (int j = 0; j < C; j++) { const float e = exp(row[j] - m); out[j] = e; s += e; }
    const float inv = 1.0f / s;
    for (int j = 0; j < C; j++) out[j] *= inv;
}

__kernel void softmax_xent_fwd(__global const float* logits, __global const int* labels,
                               __global float* dlogits, __global float* rowLoss, const int N, const int C) {
    const int r = get_global_id(0);
    if (r >= N) return;
    const __global float* row = logits + (size_t)r * C;
    __global float* grad = dlogits + (size_t)r * C;
    const int label = labels[r];
    float m = -INFINITY;
    for (int j = 0; j < C; j++) m = fmax(m, row[j]);
    float s = 0.0f;
    for (int j = 0; j < C; j++) s += exp(row[j] - m);
    const float logSum = log(s);
    const float invN = 1.0f / (float)N;
    for (int j = 0; j < C; j++) {
        const float p = exp(row[j] - m - logSum);
        grad[j] = (p - (j == label ? 1.0f : 0.0f)) * invN;
    }
    rowLoss[r] = (label >= 0 && label < C) ? (m + logSum - row[label]) : NAN;
}

/* out[0] = mean(values[0..n)); launch exactly one work-group of REDUCE_LOCAL items. */
__kernel __attribute__((reqd_work_group_size(REDUCE_LOCAL, 1, 1)))
void mean_reduce(__global const float* values, __global float* out, const int n) {
    __local float partial[REDUCE_LOCAL];
    const int lid = get_local_id(0);
    float s = 0.0f;
    for (int k = lid; k < n; k += REDUCE_LOCAL) s += values[k];
    partial[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int span = REDUCE_LOCAL / 2; span > 0; span >>= 1) {
        if (lid < span) partial[lid] += partial[lid + span];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[0] = partial[0] / (float)n;
}

/*
 * acc[0] += sum of rowLoss over rows with a label, acc[1] += rows whose argmax is the label,
 * acc[2] += rows counted; acc[3] = `step` the first time the batch loss is not finite (acc[3]
 * starts at -1). One work-group of REDUCE_LOCAL items.
 */
__kernel __attribute__((reqd_work_group_size(REDUCE_LOCAL, 1, 1)))
void batch_stats(__global const float* logits, __global const int* labels, __global const float* rowLoss,
                 __global float* acc, const int N, const int C, const int step) {
    __local float lossPart[REDUCE_LOCAL];
    __local float hitPart[REDUCE_LOCAL];
    __local float countPart[REDUCE_LOCAL];
    const int lid = get_local_id(0);
    float loss = 0.0f, hits = 0.0f, count = 0.0f;
    for (int r = lid; r < N; r += REDUCE_LOCAL) {
        const int label = labels[r];
        if (label < 0) continue;
        const __global float* row = logits + (size_t)r * C;
        int best = 0;
        for (int c = 1; c < C; c++) if (row[c] > row[best]) best = c;
        loss += rowLoss[r];
        hits += best == label ? 1.0f : 0.0f;
        count += 1.0f;
    }
    lossPart[lid] = loss;
    hitPart[lid] = hits;
    countPart[lid] = count;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int span = REDUCE_LOCAL / 2; span > 0; span >>= 1) {
        if (lid < span) {
            lossPart[lid] += lossPart[lid + span];
            hitPart[lid] += hitPart[lid + span];
            countPart[lid] += countPart[lid + span];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        acc[0] += lossPart[0];
        acc[1] += hitPart[0];
        acc[2] += countPart[0];
        if (!isfinite(lossPart[0]) && acc[3] < 0.0f) acc[3] = (float)step;
    }
}
