/*
 * train.cl - the glue of a training step that is not a layer: batch assembly from a dataset kept
 * on the device, loss/accuracy accumulation without host round trips, and dense bias gradients.
 *
 * Parameters (-D): REDUCE_LOCAL, work-group size of batch_stats (default 64, a power of two).
 * Layouts: images uint8 [count][pixels] (HWC per image), labels int32 [count], batches float32
 *   NHWC [N][pixels], logits float32 [N][C].
 * Launch: element-wise kernels take one work-item per element (global size may be rounded up;
 *   every kernel guards its index); batch_stats runs as exactly one work-group.
 */

#ifndef REDUCE_LOCAL
#define REDUCE_LOCAL 64
#endif

/* x[r] = (images[order[first + r]] / 255 - mean) / std; rows past `valid` are zeros with label -1. */
__kernel void gather_batch(__global const uchar* images, __global const int* labels, __global const int* order,
                           __global float* x, __global int* y, const int first, const int valid,
                           const int pixels, const float mean, const float invStd, const int total) {
    const int i = get_global_id(0);
    if (i >= total) return;
    const int r = i / pixels, p = i - r * pixels;
    if (r >= valid) {
        x[i] = 0.0f;
        if (p == 0) y[r] = -1;
        return;
    }
    const int src = order[first + r];
    x[i] = ((float)images[(size_t)src * pixels + p] * (1.0f / 255.0f) - mean) * invStd;
    if (p == 0) y[r] = labels[src];
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

/* db[j] = sum over rows of dy[r][j] (dense bias gradient); one work-item per column. */
__kernel void column_sums(__global const float* dy, __global float* db, const int rows, const int cols) {
    const int j = get_global_id(0);
    if (j >= cols) return;
    float s = 0.0f;
    for (int r = 0; r < rows; r++) s += dy[(size_t)r * cols + j];
    db[j] = s;
}

/* x[r] = rows[order[first + r]] (float features, `width` per row); rows past `valid` are zeros with label -1. */
__kernel void gather_rows(__global const float* rows, __global const int* labels, __global const int* order,
                          __global float* x, __global int* y, const int first, const int valid,
                          const int width, const int total) {
    const int i = get_global_id(0);
    if (i >= total) return;
    const int r = i / width, p = i - r * width;
    if (r >= valid) {
        x[i] = 0.0f;
        if (p == 0) y[r] = -1;
        return;
    }
    const int src = order[first + r];
    x[i] = rows[(size_t)src * width + p];
    if (p == 0) y[r] = labels[src];
}
