package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.nn.ops.LocalTiledGemm.Operand;

/**
 * GPU-style convolution: per group, im2col into a [M][K] column matrix (M = output pixels,
 * K = taps x input channels of the group), then the local-tiled GEMM against the HWIO weights,
 * which already are a K x Cout matrix. Backward-data runs the GEMM into columns and gathers them
 * back with col2im; backward-weights is col^T x dY. Memory: one M x K float matrix.
 */
final class LocalTiledConv2d implements ConvKernels {
    private static final int TILE = LocalTiledGemm.TILE;
    private final ClContext context;
    private final Conv2dShape s;
    private final ConvKernelCache kernels;
    private final LocalTiledGemm gemm;
    private final ScratchBuffer columns;
    private final int m, k;

    LocalTiledConv2d(ClContext context, Conv2dShape shape, ConvKernelCache kernels) {
        this.context = context;
        this.s = shape;
        this.kernels = kernels;
        this.gemm = new LocalTiledGemm(context);
        this.columns = new ScratchBuffer(context);
        this.m = shape.batch() * shape.outHeight() * shape.outWidth();
        this.k = shape.kernelHeight() * shape.kernelWidth() * shape.inChannelsPerGroup();
    }

    @Override
    public String describe() {
        return "LocalTiled(im2col,TS=" + TILE + ")";
    }

    @Override
    public void forward(ClBuffer x, ClBuffer w, ClBuffer bias, boolean hasBias, ClBuffer y) {
        int ocg = s.outChannelsPerGroup(), oc = s.outChannels();
        for (int g = 0; g < s.groups(); g++) {
            ClBuffer col = im2col(x, g);
            gemm.run(GemmShape.of(m, ocg, k, false, false), new Operand(col, 0, k), new Operand(w, g * ocg, oc),
                    new Operand(y, g * ocg, oc), new Operand(bias, g * ocg, 0), hasBias);
        }
    }

    @Override
    public void backwardData(ClBuffer dy, ClBuffer w, ClBuffer dx) {
        int ocg = s.outChannelsPerGroup(), oc = s.outChannels();
        ClBuffer dcol = columns.atLeast((long) m * k);
        for (int g = 0; g < s.groups(); g++) {
            gemm.run(GemmShape.of(m, k, ocg, false, true), new Operand(dy, g * ocg, oc), new Operand(w, g * ocg, oc),
                    new Operand(dcol, 0, k), new Operand(w, 0, 0), false);
            ClKernel c = kernels.get(ConvKernelCache.IM2COL, "", "conv_col2im").arg(0, dcol).arg(1, dx).arg(2, s.batch()).arg(3, s.inHeight()).arg(4, s.inWidth())
                    .arg(5, s.inChannels()).arg(6, s.outHeight()).arg(7, s.outWidth()).arg(8, s.inChannelsPerGroup()).arg(9, g)
                    .arg(10, s.kernelHeight()).arg(11, s.kernelWidth());
            strides(c, 12).arg(18, k).launch(context.queue(),
                    new long[] {roundUp(s.inChannelsPerGroup()), roundUp(s.batch() * s.inHeight() * s.inWidth())}, new long[] {TILE, TILE});
        }
    }

    @Override
    public void backwardWeights(ClBuffer x, ClBuffer dy, ClBuffer dw) {
        int ocg = s.outChannelsPerGroup(), oc = s.outChannels();
        for (int g = 0; g < s.groups(); g++) {
            ClBuffer col = im2col(x, g);
            gemm.run(GemmShape.of(k, ocg, m, true, false), new Operand(col, 0, k), new Operand(dy, g * ocg, oc),
                    new Operand(dw, g * ocg, oc), new Operand(dw, 0, 0), false);
        }
    }

    private ClBuffer im2col(ClBuffer x, int g) {
        ClBuffer col = columns.atLeast((long) m * k);
        ClKernel c = kernels.get(ConvKernelCache.IM2COL, "", "conv_im2col").arg(0, x).arg(1, col).arg(2, s.inHeight()).arg(3, s.inWidth()).arg(4, s.inChannels())
                .arg(5, s.outHeight()).arg(6, s.outWidth()).arg(7, s.inChannelsPerGroup()).arg(8, g).arg(9, s.kernelWidth());
        strides(c, 10).arg(16, m).arg(17, k).launch(context.queue(), new long[] {roundUp(k), roundUp(m)}, new long[] {TILE, TILE});
        return col;
    }

    private ClKernel strides(ClKernel c, int index) {
        return c.arg(index, s.strideH()).arg(index + 1, s.strideW()).arg(index + 2, s.padTop()).arg(index + 3, s.padLeft())
                .arg(index + 4, s.dilationH()).arg(index + 5, s.dilationW());
    }

    private static long roundUp(long n) {
        return (n + TILE - 1) / TILE * TILE;
    }

    @Override
    public void close() {
        gemm.close();
        columns.close();
    }
}
