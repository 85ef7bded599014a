/*
 * conv_sums.cl - channel sums for the convolution backward passes: the bias gradient db[c] = sum of
 * dY over every pixel (conv_bias_grad per chunk of pixels, then conv_reduce), and conv_reduce, which
 * adds the per-chunk partial weight gradients of conv_rb.cl / conv_dw.cl (deterministic, no atomics).
 * conv_reduce_pair adds two such arrays in one launch (conv_rb.cl's weight gradient with the bias
 * partials it wrote beside it, channel_sums.h).
 * -D options: none.
 * Java twin: dev.clpipe.nn.ops.Conv2dReference (backwardBias, backwardWeights); launcher:
 * nn.ops.ChannelSums; tests: Conv2dTest (bias and weight gradients over many shapes),
 * Conv2dGradientTest (finite differences).
 */

#include "vec16.h"
#include "channel_sums.h"

/* out[i] = sum_c part[c*count + i]. Launch: global {ceil(count/16)}. */
__kernel void conv_reduce(__global const float* part, __global float* out, const int count, const int chunks) {
    chunk_reduce(part, out, count, chunks, get_global_id(0) * 16);
}

/* conv_reduce of two arrays in one launch (a weight gradient and the bias gradient beside it): the first
 * ceil(count/16) work-items reduce part into out, the rest part2 into out2. Launch: global
 * {ceil(count/16) + ceil(count2/16)}. */
__kernel void conv_reduce_pair(__global const float* part, __global float* out, const int count, const int chunks,
                               __global const float* part2, __global float* out2, const int count2, const int chunks2) {
    const int first = (count + 15) / 16, i = get_global_id(0);
    if (i < first) chunk_reduce(part, out, count, chunks, i * 16);
    else chunk_reduce(part2, out2, count2, chunks2, (i - first) * 16);
}

/* part[chunk][c] = sum of dY[pixel][c] over the chunk's pixels. Launch: global {ceil(C/16), chunks}. */
__kernel void conv_bias_grad(__global const float* dY, __global float* part, const int C, const int pixels,
                             const int pixelsPerChunk) {
    bias_chunk_sum(dY, part, C, pixels, pixelsPerChunk, get_global_id(0) * 16, get_global_id(1));
}
