/*
 * conv_sums.cl - channel sums for the convolution backward passes: the bias gradient db[c] = sum of
 * dY over every pixel (conv_bias_grad per chunk of pixels, then conv_reduce), and conv_reduce, which
 * adds the per-chunk partial weight gradients of conv_rb.cl / conv_dw.cl (deterministic, no atomics).
 * -D options: none.
 * Java twin: dev.clpipe.nn.ops.Conv2dReference (backwardBias, backwardWeights); launcher:
 * nn.ops.ChannelSums; tests: Conv2dTest (bias and weight gradients over many shapes),
 * Conv2dGradientTest (finite differences).
 */

#include "vec16.h"

/* out[i] = sum_c part[c*count + i]. Launch: global {ceil(count/16)}. */
__kernel void conv_reduce(__global const float* part, __global float* out, const int count, const int chunks) {
    const int i0 = get_global_id(0) * 16;
    const int left = count - i0;
    if (left <= 0) return;
    float16 sum = (float16)(0.0f);
    for (int c = 0; c < chunks; c++) sum += load16_guarded(part + (size_t)c * count + i0, left);
    store16_guarded(sum, out + i0, left);
}

/* part[chunk][c] = sum of dY[pixel][c] over the chunk's pixels. Launch: global {ceil(C/16), chunks}. */
__kernel void conv_bias_grad(__global const float* dY, __global float* part, const int C, const int pixels,
                             const int pixelsPerChunk) {
    const int c0 = get_global_id(0) * 16;
    const int chunk = get_global_id(1);
    const int left = C - c0;
    const int end = min(pixels, (chunk + 1) * pixelsPerChunk);
    float16 sum = (float16)(0.0f);
    for (int p = chunk * pixelsPerChunk; p < end; p++) sum += load16_guarded(dY + (size_t)p * C + c0, left);
    store16_guarded(sum, part + (size_t)chunk * C + c0, left);
}
