/*
 * yolo.cl - the YOLO training loss and its gradient with respect to the raw head outputs; the
 * plain-Java twin is dev.clpipe.detect.YoloLoss (same formula, documented there and in
 * docs/detection.md).
 *
 * Layout: raw, target and grad are float [slots][CH] with CH = 5 + classes per (cell, anchor)
 *   slot, channels pc, bx, by, bh, bw, class logits (dev.clpipe.detect.YoloLayout); a batch is
 *   `slots` = batch * gridH * gridW * anchors such rows back to back. target: YoloEncoder's
 *   (pc = 1 marks a responsible slot).
 * Parameters (-D): REDUCE_LOCAL (power of two, default 64) = work-group size of yolo_loss_sum.
 * Launch: yolo_loss_grad one work-item per slot (global size may be rounded up); yolo_loss_sum
 *   exactly one work-group. The gradient is of the MEAN loss over the batch (invBatch = 1/batch).
 * Numerics: sigmoid via exp(-|x|); softmax with the row max subtracted; BCE as softplus.
 */
#ifndef REDUCE_LOCAL
#define REDUCE_LOCAL 64
#endif

inline float yolo_sigmoid(const float x) {
    const float e = exp(-fabs(x));
    return x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

/*
 * wCoord, wObj, wNoObj, wCls: term weights; softmaxClasses 1 = softmax cross-entropy, 0 = sigmoid
 * BCE; bceObjectness 1 = objectness as binary cross-entropy (YOLOv3), 0 = squared error (YOLOv2).
 */
__kernel void yolo_loss_grad(__global const float* raw, __global const float* target, __global float* grad,
                             __global float* slotLoss, const int slots, const int classes, const int softmaxClasses,
                             const float wCoord, const float wObj, const float wNoObj,
                             const float wCls, const float invBatch, const int bceObjectness) {
    const int s = get_global_id(0);
    if (s >= slots) return;
    const int ch = 5 + classes;
    const __global float* t = raw + (size_t)s * ch;
    const __global float* y = target + (size_t)s * ch;
    __global float* g = grad + (size_t)s * ch;
    const float pc = yolo_sigmoid(t[0]);
    const float dpc = pc * (1.0f - pc);
    const float softplusT = fmax(t[0], 0.0f) + log1p(exp(-fabs(t[0])));   /* -log(1 - pc) */
    if (y[0] <= 0.0f) {
        slotLoss[s] = wNoObj * (bceObjectness ? softplusT : pc * pc) * invBatch;
        g[0] = wNoObj * (bceObjectness ? pc : 2.0f * pc * dpc) * invBatch;
        for (int k = 1; k < ch; k++) g[k] = 0.0f;
        return;
    }
    const float softplusMinusT = fmax(-t[0], 0.0f) + log1p(exp(-fabs(t[0])));   /* -log(pc) */
    float loss = wObj * (bceObjectness ? softplusMinusT : (pc - 1.0f) * (pc - 1.0f));
    g[0] = wObj * (bceObjectness ? pc - 1.0f : 2.0f * (pc - 1.0f) * dpc) * invBatch;
    for (int k = 1; k <= 2; k++) {
        const float v = yolo_sigmoid(t[k]);
        const float e = v - y[k];
        loss += wCoord * e * e;
        g[k] = wCoord * 2.0f * e * v * (1.0f - v) * invBatch;
    }
    for (int k = 3; k <= 4; k++) {
        const float e = t[k] - y[k];
        loss += wCoord * e * e;
        g[k] = wCoord * 2.0f * e * invBatch;
    }
    float cls = 0.0f;
    if (softmaxClasses) {
        float m = -INFINITY;
        for (int c = 0; c < classes; c++) m = fmax(m, t[5 + c]);
        float sum = 0.0f, sumY = 0.0f;
        for (int c = 0; c < classes; c++) { sum += exp(t[5 + c] - m); sumY += y[5 + c]; }
        const float logSum = m + log(sum);
        for (int c = 0; c < classes; c++) {
            const float p = exp(t[5 + c] - logSum);
            cls -= y[5 + c] * (t[5 + c] - logSum);
            g[5 + c] = wCls * (p * sumY - y[5 + c]) * invBatch;
        }
    } else {
        for (int c = 0; c < classes; c++) {
            const float v = t[5 + c], yc = y[5 + c];
            cls += fmax(v, 0.0f) - yc * v + log1p(exp(-fabs(v)));
            g[5 + c] = wCls * (yolo_sigmoid(v) - yc) * invBatch;
        }
    }
    slotLoss[s] = (loss + wCls * cls) * invBatch;
}

/*
 * acc[0] += sum of slotLoss (the batch's mean loss), acc[1] += 1 (batches), acc[2] = `step` the
 * first time that sum is not finite (acc[2] starts at -1). One work-group of REDUCE_LOCAL items,
 * so no float atomics are needed.
 */
__kernel __attribute__((reqd_work_group_size(REDUCE_LOCAL, 1, 1)))
void yolo_loss_sum(__global const float* slotLoss, __global float* acc, const int slots, const int step) {
    __local float partial[REDUCE_LOCAL];
    const int lid = get_local_id(0);
    float s = 0.0f;
    for (int k = lid; k < slots; k += REDUCE_LOCAL) s += slotLoss[k];
    partial[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int span = REDUCE_LOCAL / 2; span > 0; span >>= 1) {
        if (lid < span) partial[lid] += partial[lid + span];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        acc[0] += partial[0];
        acc[1] += 1.0f;
        if (!isfinite(partial[0]) && acc[2] < 0.0f) acc[2] = (float)step;
    }
}
