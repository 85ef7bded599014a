/*
 * conv_transpose.cl - 2-D transposed convolution of NHWC maps, groups 1 (ONNX ConvTranspose,
 * PyTorch ConvTranspose2d): inference of imported decoder/upsampling nets.
 *
 * Parameters (-D): none.
 * Layout: x [N, H, W, CI]; w [KH][KW][CI][CO] (ONNX's [CI][CO][KH][KW] reordered on the host);
 *   bias [CO] (zeros when the model has none); y [N, OH, OW, CO] with
 *   OH = (H - 1) * SH - padTop - padBottom + DH * (KH - 1) + 1 + output_padding (W alike).
 * y[n, oy, ox, co] = bias[co] + sum of x[n, iy, ix, ci] * w[ky][kx][ci][co] over the taps with
 *   iy * SH + ky * DH - padTop = oy and ix * SW + kx * DW - padLeft = ox.
 * Launch: 3-D NDRange (co, ox, n * OH + oy), guarded. Each output GATHERS its own taps (the
 *   Java twin scatters, so the two are computed differently); no atomics.
 * Java twin: nn/ops/ConvTransposeReference; test: ConvTransposeTest.
 */

__kernel void conv_transpose_nhwc(__global const float* x, __global const float* w, __global const float* bias,
                                  __global float* y, const int H, const int W, const int CI,
                                  const int OH, const int OW, const int CO, const int KH, const int KW,
                                  const int SH, const int SW, const int DH, const int DW,
                                  const int padTop, const int padLeft, const int rows) {
    const int co = get_global_id(0), ox = get_global_id(1), row = get_global_id(2);
    if (co >= CO || ox >= OW || row >= rows) return;
    const int n = row / OH, oy = row % OH;
    float acc = bias[co];
    for (int ky = 0; ky < KH; ky++) {
        const int ty = oy + padTop - ky * DH;
        if (ty < 0 || ty % SH != 0 || ty / SH >= H) continue;
        const int iy = ty / SH;
        for (int kx = 0; kx < KW; kx++) {
            const int tx = ox + padLeft - kx * DW;
            if (tx < 0 || tx % SW != 0 || tx / SW >= W) continue;
            const __global float* xp = x + (((size_t)n * H + iy) * W + tx / SW) * CI;
            const __global float* wp = w + (size_t)(ky * KW + kx) * CI * CO + co;
            for (int ci = 0; ci < CI; ci++) acc += xp[ci] * wp[(size_t)ci * CO];
        }
    }
    y[((size_t)row * OW + ox) * CO + co] = acc;
}
