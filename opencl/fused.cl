/*
 * fused.cl - inference-only fusions of ops that would otherwise each write and re-read a whole
 * activation map (the large early maps of imported detectors are memory-bound): max pooling with
 * the activation after it. No backward: training uses the unfused ops.
 *
 * Kernels:
 *   maxpool_act_nhwc    y = act(maxpool(x)); padded cells never win (TensorFlow 'same').
 * act(v) = v > 0 ? v : slope * v   (slope 1: none, 0: relu, 0.1: leaky).
 * Layout: NHWC activations. act(max(..)) = max(act(..)) only for increasing activations, so the
 *   host fuses only those.
 * Launch: grid (C, OW, N * OH) with exact sizes; consecutive work-items walk the channels,
 *   so loads and stores of a pixel are contiguous and PoCL vectorises across channels.
 */

__kernel void maxpool_act_nhwc(__global const float* x, __global float* y, const int H, const int W, const int C,
                               const int OH, const int OW, const int K, const int S, const int padTop,
                               const int padLeft, const float slope, const int NOH) {
    const int c = get_global_id(0), ox = get_global_id(1), z = get_global_id(2);
    if (c >= C || ox >= OW || z >= NOH) return;
    const int n = z / OH, oy = z - n * OH;
    const int y0 = oy * S - padTop, x0 = ox * S - padLeft;
    const int ya = max(y0, 0), yb = min(y0 + K, H), xa = max(x0, 0), xb = min(x0 + K, W);
    float best = -INFINITY;
    for (int iy = ya; iy < yb; iy++) {
        __global const float* row = x + (((size_t)n * H + iy) * W) * C + c;
        for (int ix = xa; ix < xb; ix++) best = fmax(best, row[(size_t)ix * C]);
    }
    y[(((size_t)n * OH + oy) * OW + ox) * C + c] = best > 0.0f ? best : slope * best;
}
