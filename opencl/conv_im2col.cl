/*
 * conv_im2col.cl - the LocalTiled (GPU-style) convolution family: conv_im2col writes the column
 * matrix of one group, gemm.cl's gemm_tiled multiplies it with the HWIO weights (a plain K x Cout
 * matrix), conv_col2im gathers the column gradient back into dX. Work-groups of 16x16.
 * Layout: X/dX NHWC, col [M = N*OH*OW][K = KH*KW*ICg]. -D options: none.
 * Java twin: dev.clpipe.nn.ops.Conv2dReference; launcher: nn.ops.LocalTiledConv2d;
 * tests: Conv2dTest (LocalTiled variant), Conv2dGradientTest.
 */

/*
 * LocalTiled family: col[m][k] for group g, m = (n, oy, ox), k = (ky, kx, ci); zero in padding.
 * Launch: global {K, M} rounded up to the work-group (16, 16).
 */
__kernel void conv_im2col(__global const float* X, __global float* col, const int H, const int W, const int C,
                          const int OH, const int OW, const int ICg, const int g, const int KW,
                          const int SH, const int SW, const int PT, const int PL, const int DH, const int DW,
                          const int M, const int K) {
    const int k = get_global_id(0), m = get_global_id(1);
    if (k >= K || m >= M) return;
    const int ci = k % ICg, tap = k / ICg;
    const int ky = tap / KW, kx = tap % KW;
    const int ox = m % OW, t = m / OW;
    const int oy = t % OH, n = t / OH;
    const int iy = oy * SH - PT + ky * DH, ix = ox * SW - PL + kx * DW;
    const int ok = iy >= 0 && iy < H && ix >= 0 && ix < W;
    col[(size_t)m * K + k] = ok ? X[((size_t)(n * H + iy) * W + ix) * C + g * ICg + ci] : 0.0f;
}

/* dX[n][iy][ix][g*ICg + ci] = sum of dcol over the (m, k) that im2col read it from (a gather, no atomics).
 * Launch: global {ICg, N*H*W} rounded up to the work-group. */
__kernel void conv_col2im(__global const float* dcol, __global float* dX, const int N, const int H, const int W,
                          const int C, const int OH, const int OW, const int ICg, const int g, const int KH,
                          const int KW, const int SH, const int SW, const int PT, const int PL, const int DH,
                          const int DW, const int K) {
    const int ci = get_global_id(0), pix = get_global_id(1);
    if (ci >= ICg || pix >= N * H * W) return;
    const int ix = pix % W, t = pix / W;
    const int iy = t % H, n = t / H;
    float sum = 0.0f;
    for (int ky = 0; ky < KH; ky++) {
        const int ty = iy + PT - ky * DH;
        if (ty < 0 || ty % SH != 0 || ty / SH >= OH) continue;
        for (int kx = 0; kx < KW; kx++) {
            const int tx = ix + PL - kx * DW;
            if (tx < 0 || tx % SW != 0 || tx / SW >= OW) continue;
            const size_t m = (size_t)(n * OH + ty / SH) * OW + tx / SW;
            sum += dcol[m * K + (ky * KW + kx) * ICg + ci];
        }
    }
    dX[(size_t)pix * C + g * ICg + ci] = sum;
}
