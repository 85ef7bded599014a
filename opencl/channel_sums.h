/*
 * channel_sums.h - the loops of conv_sums.cl's channel sums, shared with conv_rb.cl's weight gradient so
 * the bias gradient it writes beside the weights is summed in the same order, the same floats.
 * Needs vec16.h. Twin: dev.clpipe.nn.ops.Conv2dReference.backwardBias; tests: Conv2dTest.
 */
#ifndef CHANNEL_SUMS_H
#define CHANNEL_SUMS_H

/* part[chunk][c0..c0+16) = sum of dY[pixel][c0..c0+16) over the chunk's pixels, in pixel order. */
inline void bias_chunk_sum(__global const float* dY, __global float* part, const int C, const int pixels,
                           const int pixelsPerChunk, const int c0, const int chunk) {
    const int left = C - c0;
    const int end = min(pixels, (chunk + 1) * pixelsPerChunk);
    float16 sum = (float16)(0.0f);
    for (int p = chunk * pixelsPerChunk; p < end; p++) sum += load16_guarded(dY + (size_t)p * C + c0, left);
    store16_guarded(sum, part + (size_t)chunk * C + c0, left);
}

/* out[i0..i0+16) = sum over c < chunks of part[c*count + i0..], in chunk order. */
inline void chunk_reduce(__global const float* part, __global float* out, const int count, const int chunks, const int i0) {
    const int left = count - i0;
    if (left <= 0) return;
    float16 sum = (float16)(0.0f);
    for (int c = 0; c < chunks; c++) sum += load16_guarded(part + (size_t)c * count + i0, left);
    store16_guarded(sum, out + i0, left);
}

#endif
