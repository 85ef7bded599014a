/*
 * views.cl - test-time augmentation views of a normalised batch already on the device.
 *
 * Layout: x and out float32 NHWC [N][H][W][C].
 * View: out[n][y][x][c] = in[n][clampY(y + dy)][clampX(m(x) + dx)][c] with m(x) = W-1-x when
 *   mirrored, else x; coordinates outside the image take the nearest edge pixel (so a shifted
 *   digit is padded with its own background, not with zeros that mean "grey" after normalisation).
 * Launch: one work-item per element (global size may be rounded up; the kernel guards its index).
 */
__kernel void shift_mirror(__global const float* in, __global float* out, const int H, const int W, const int C,
                           const int dx, const int dy, const int mirror, const int total) {
    const int i = get_global_id(0);
    if (i >= total) return;
    const int c = i % C;
    const int x = (i / C) % W;
    const int y = (i / (C * W)) % H;
    const int n = i / (C * W * H);
    const int mx = mirror ? W - 1 - x : x;
    const int sx = clamp(mx + dx, 0, W - 1);
    const int sy = clamp(y + dy, 0, H - 1);
    out[i] = in[(((size_t)n * H + sy) * W + sx) * C + c];
}
