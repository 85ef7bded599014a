package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;

/**
 * CPU-style direct NHWC convolution (conv_rb.cl {@code conv_rb}, {@code conv_bwd_weights_rb},
 * conv_dw.cl depthwise {@code conv_dw*}): weights packed into channel panels, register-blocked work-items.
 */
final class RegisterBlockedConv2d implements ConvKernels {
    private static final int DEPTHWISE_PIXELS = 8;
    /** Widest kernel the depthwise sliding window is built for (wider ones take the per-pixel path). */
    static final int WINDOW_MAX = 7;
    /** Enough work-items for a reduction to spread over every core several times. */
    private static final int MIN_ITEMS = 192;
    /** dY bytes per backward-weights chunk: with its x rows this stays within a 1 MB L2. */
    private static final long CHUNK_BYTES = Long.getLong("clpipe.conv.chunkBytes", 256 * 1024);
    private static final long PARTIAL_FLOATS = 16L << 20;
    /**
     * Outputs above this are written with non-temporal stores (conv_rb.cl / conv_dw.cl streamOut): larger than a
     * core's L2. A kernel argument, not a build option: the output's size follows the batch rows, and a
     * data-parallel re-split that crossed it built the program again.
     */
    static final long STREAM_BYTES = Long.getLong("clpipe.conv.streamBytes", 4L << 20);
    private final ClContext context;
    private final Conv2dShape s;
    private final ConvParams params;
    private final ConvKernelCache kernels;
    private final ChannelSums sums;
    private final ScratchBuffer packed, zeros, partials;

    RegisterBlockedConv2d(ClContext context, Conv2dShape shape, ConvParams params, ConvKernelCache kernels, ChannelSums sums) {
        this.context = context;
        this.s = shape;
        this.params = params;
        this.kernels = kernels;
        this.sums = sums;
        this.packed = new ScratchBuffer(context);
        this.zeros = new ScratchBuffer(context);
        this.partials = new ScratchBuffer(context);
    }

    @Override
    public String describe() {
        if (s.depthwise()) return "RegisterBlocked(depthwise,PX=" + DEPTHWISE_PIXELS + ",DV=" + depthwiseVectors() + ")";
        String rows = rowRuns() ? "rows," : "";
        int nv = params.vectorsFor(s.outChannelsPerGroup());
        return "RegisterBlocked(" + rows + "PX=" + params.pixelsFor(nv) + ",NV=" + nv + ",RB=" + Math.min(params.weightRows(), (rowRuns() ? s.kernelWidth() : 1) * s.inChannelsPerGroup()) + ")";
    }

    @Override
    public void forward(ClBuffer x, ClBuffer w, ClBuffer bias, boolean hasBias, ClBuffer y) {
        if (s.depthwise()) {
            depthwise(false, x, w, bias, hasBias, y);
        } else {
            direct(false, x, w, bias, hasBias, y);
        }
    }

    @Override
    public void backwardData(ClBuffer dy, ClBuffer w, ClBuffer dx) {
        if (s.depthwise()) {
            depthwise(true, dy, w, w, false, dx);
        } else {
            direct(true, dy, w, w, false, dx);
        }
    }

    /** Forward (src = x, dst = y) or backward-data (src = dY, dst = dX) through conv_rb. */
    private void direct(boolean backward, ClBuffer src, ClBuffer w, ClBuffer bias, boolean hasBias, ClBuffer dst) {
        int icg = s.inChannelsPerGroup(), ocg = s.outChannelsPerGroup();
        int reduce = backward ? ocg : icg, produce = backward ? icg : ocg;
        int nv = params.vectorsFor(produce), px = params.pixelsFor(nv);
        int width = 16 * nv, blocks = (produce + width - 1) / width;
        int taps = s.kernelHeight() * s.kernelWidth();
        boolean unitStride = backward && s.strideH() == 1 && s.strideW() == 1;
        int dstC = backward ? s.inChannels() : s.outChannels();
        long outputBytes = (long) s.batch() * (backward ? s.inHeight() * s.inWidth() : s.outHeight() * s.outWidth()) * dstC * Float.BYTES;
        boolean stream = outputBytes > STREAM_BYTES && dstC % 16 == 0 && (s.groups() == 1 || produce % 16 == 0);
        String options = directOptions(nv, px, backward, unitStride, !backward && rowRuns());
        // Forward with one group and one panel exactly as wide as the output channels: the panel is W itself (HWIO), so
        // the packing launch is skipped (LeNet's conv2: 16 channels, one float16).
        boolean weightsArePanel = !backward && s.groups() == 1 && s.outChannels() == width;
        ClBuffer panels = weightsArePanel ? w : packed.atLeast((long) s.groups() * blocks * taps * reduce * width);
        if (!weightsArePanel) {
            kernels.get(ConvKernelCache.REGISTER_BLOCKED, options, "conv_pack_weights").arg(0, w).arg(1, panels).arg(2, taps).arg(3, icg).arg(4, ocg)
                    .arg(5, s.outChannels()).arg(6, blocks).arg(7, backward ? 1 : 0)
                    .launch(context.queue(), new long[] {(long) taps * reduce, (long) s.groups() * blocks}, new long[] {1, 1});
        }
        int srcH = backward ? s.outHeight() : s.inHeight(), srcW = backward ? s.outWidth() : s.inWidth();
        int dstH = backward ? s.inHeight() : s.outHeight(), dstW = backward ? s.inWidth() : s.outWidth();
        ClKernel k = kernels.get(ConvKernelCache.REGISTER_BLOCKED, options, "conv_rb").arg(0, src).arg(1, panels).arg(2, bias).arg(3, dst)
                .arg(4, zeros.zeros((long) reduce * s.kernelWidth()))
                .arg(5, srcH).arg(6, srcW).arg(7, backward ? s.outChannels() : s.inChannels())
                .arg(8, dstH).arg(9, dstW).arg(10, backward ? s.inChannels() : s.outChannels())
                .arg(11, reduce).arg(12, produce).arg(13, blocks);
        int totalRows = s.batch() * dstH, xBlocks = (dstW + px - 1) / px;
        int perItem = rowsPerItem(totalRows, (long) xBlocks * s.groups() * blocks, 2.0 * px * width * taps * reduce);
        geometry(k, 14).arg(22, hasBias ? 1 : 0).arg(23, perItem).arg(24, totalRows).arg(25, stream ? 1 : 0)
                .launch(context.queue(), new long[] {xBlocks, (totalRows + perItem - 1) / perItem, (long) s.groups() * blocks},
                        new long[] {1, 1, 1});
    }

    /**
     * Output rows per work-item: enough work (~2 MFLOP) to hide PoCL's per-work-group cost (~1 us),
     * while keeping at least MIN_ITEMS / 3 work-items for the cores to share.
     */
    static int rowsPerItem(int totalRows, long itemsPerRow, double flopsPerRowItem) {
        int wanted = (int) Math.ceil(2e6 / flopsPerRowItem);
        long parallel = Math.max(1, totalRows * itemsPerRow / (MIN_ITEMS / 3));
        return (int) Math.max(1, Math.min(wanted, Math.min(parallel, totalRows)));
    }

    /** A kernel row reads KW*Cin consecutive input floats (conv_rb ROW_RUNS): one group, no width padding or dilation. */
    private boolean rowRuns() {
        return s.groups() == 1 && s.dilationW() == 1 && s.padLeft() == 0 && s.padRight() == 0 && s.kernelWidth() > 1;
    }

    private void depthwise(boolean backward, ClBuffer src, ClBuffer w, ClBuffer bias, boolean hasBias, ClBuffer dst) {
        int dstH = backward ? s.inHeight() : s.outHeight(), dstW = backward ? s.inWidth() : s.outWidth();
        String options = depthwiseOptions(backward);
        boolean stream = depthwiseFull() && (long) s.batch() * dstH * dstW * s.inChannels() * Float.BYTES > STREAM_BYTES;
        ClKernel k = kernels.get(ConvKernelCache.DEPTHWISE, options, "conv_dw").arg(0, src).arg(1, w).arg(2, bias).arg(3, dst)
                .arg(4, backward ? s.outHeight() : s.inHeight()).arg(5, backward ? s.outWidth() : s.inWidth())
                .arg(6, dstH).arg(7, dstW).arg(8, s.inChannels());
        int width = 16 * depthwiseVectors();
        int totalRows = s.batch() * dstH, xBlocks = (dstW + DEPTHWISE_PIXELS - 1) / DEPTHWISE_PIXELS, blocks = (s.inChannels() + width - 1) / width;
        int perItem = rowsPerItem(totalRows, (long) xBlocks * blocks, 2.0 * DEPTHWISE_PIXELS * width * s.kernelHeight() * s.kernelWidth());
        geometry(k, 9).arg(17, hasBias ? 1 : 0).arg(18, perItem).arg(19, totalRows).arg(20, stream ? 1 : 0).launch(context.queue(),
                new long[] {xBlocks, (totalRows + perItem - 1) / perItem, blocks}, new long[] {1, 1, 1});
    }

    /**
     * conv_dw build options: two channel vectors per work-item when there are more than 16 channels and the
     * sliding-window path for width stride and dilation 1 (kernels up to 7 wide). Outputs that do not fit
     * a core's L2 take non-temporal stores by argument (measured 1.5-2x at 112x112x32, b8).
     */
    String depthwiseOptions(boolean backward) {
        boolean window = s.strideW() == 1 && s.dilationW() == 1 && s.kernelWidth() <= WINDOW_MAX;
        boolean unitStride = backward && s.strideH() == 1 && s.strideW() == 1;
        return depthwiseOptions(depthwiseVectors(), backward, unitStride, window ? s.kernelWidth() : 0, depthwiseFull());
    }

    /** Whole channel vectors only (conv_dw C_FULL: no channel guards, aligned non-temporal stores). */
    private boolean depthwiseFull() {
        return s.inChannels() % (16 * depthwiseVectors()) == 0;
    }

    /** conv_rb build options (one builder per kernel, so every option string has one source). */
    static String directOptions(int nv, int px, boolean backward, boolean unitStride, boolean rowRuns) {
        return "-DNV=" + nv + " -DPX=" + px + " -DBACKWARD_DATA=" + (backward ? 1 : 0) + (unitStride ? " -DUNIT_STRIDE=1" : "")
                + (rowRuns ? " -DROW_RUNS=1" : "");
    }

    /** conv_bwd_weights_rb build options. */
    static String weightGradOptions(int nv, int rb, boolean fullColumns) {
        return "-DNV=" + nv + " -DRB=" + rb + " -DCO_FULL=" + (fullColumns ? 1 : 0);
    }

    /** conv_dw build options; {@code kernelWidth} 0 = no sliding window. */
    static String depthwiseOptions(int dv, boolean backward, boolean unitStride, int kernelWidth, boolean full) {
        return "-DPX=" + DEPTHWISE_PIXELS + " -DDV=" + dv + " -DBACKWARD_DATA=" + (backward ? 1 : 0) + (unitStride ? " -DUNIT_STRIDE=1" : "")
                + (kernelWidth > 0 ? " -DDW_KW=" + kernelWidth : "") + (full ? " -DC_FULL=1" : "");
    }

    private int depthwiseVectors() {
        return s.inChannels() > 16 ? 2 : 1;
    }

    /** Sets KH, KW, SH, SW, PT, PL, DH, DW from argument {@code index} on. */
    private ClKernel geometry(ClKernel k, int index) {
        return k.arg(index, s.kernelHeight()).arg(index + 1, s.kernelWidth()).arg(index + 2, s.strideH()).arg(index + 3, s.strideW())
                .arg(index + 4, s.padTop()).arg(index + 5, s.padLeft()).arg(index + 6, s.dilationH()).arg(index + 7, s.dilationW());
    }

    @Override
    public void backwardWeights(ClBuffer x, ClBuffer dy, ClBuffer dw) {
        backwardWeights(x, dy, dw, null);
    }

    /**
     * Whether {@link #backwardWeights(ClBuffer, ClBuffer, ClBuffer, ClBuffer)} writes the bias gradient inside its two
     * launches: the general (not depthwise) kernel with groups 1.
     */
    boolean fusesBias() {
        return !s.depthwise() && s.groups() == 1;
    }

    /**
     * dw, and when {@code db} is not null ({@link #fusesBias} required) the bias gradient: conv_bwd_weights_rb's extra
     * work-items write conv_bias_grad's partial sums, and conv_reduce_pair adds both, the floats of conv_bias_grad and
     * conv_reduce in two launches fewer.
     */
    void backwardWeights(ClBuffer x, ClBuffer dy, ClBuffer dw, ClBuffer db) {
        if (db != null && !fusesBias()) throw new IllegalArgumentException("the bias gradient is not fused for " + s);
        int rows = s.batch() * s.outHeight();
        int taps = s.kernelHeight() * s.kernelWidth();
        ClKernel k;
        Chunks chunks;
        long[] global;
        ClBuffer biasPart = null;
        int biasChunkCount = 0;
        if (s.depthwise() && tapsInRegisters()) {
            int vectors = (s.inChannels() + 15) / 16;
            chunks = Chunks.plan(rows, vectors, MIN_ITEMS, rows, maxChunks());
            String options = "-DBW_KH=" + s.kernelHeight() + " -DBW_KW=" + s.kernelWidth() + (s.inChannels() % 16 == 0 ? " -DC_FULL=1" : "");
            k = kernels.get(ConvKernelCache.DEPTHWISE, options, "conv_dw_bwd_weights_rows").arg(0, x).arg(1, dy).arg(2, partial(chunks))
                    .arg(3, zeros.zeros(16)).arg(4, s.inHeight()).arg(5, s.inWidth()).arg(6, s.inChannels())
                    .arg(7, s.outHeight()).arg(8, s.outWidth()).arg(9, s.strideH()).arg(10, s.padTop()).arg(11, s.padLeft())
                    .arg(12, s.dilationH()).arg(13, rows).arg(14, chunks.perChunk());
            global = new long[] {vectors, chunks.count()};
        } else if (s.depthwise()) {
            int vectors = (s.inChannels() + 15) / 16;
            chunks = Chunks.plan(rows, taps * vectors, MIN_ITEMS, cachedRows(), maxChunks());
            k = kernels.get(ConvKernelCache.DEPTHWISE, "", "conv_dw_bwd_weights").arg(0, x).arg(1, dy).arg(2, partial(chunks))
                    .arg(3, s.inHeight()).arg(4, s.inWidth()).arg(5, s.inChannels()).arg(6, s.outHeight()).arg(7, s.outWidth())
                    .arg(8, s.kernelWidth());
            k = strides(k, 9).arg(15, rows).arg(16, chunks.perChunk()).arg(17, taps);
            global = new long[] {taps, vectors, chunks.count()};
        } else {
            // With row runs a kernel row's KW taps x Cin channels are KW*Cin consecutive floats of x and
            // consecutive rows of dW, so the kernel sees KH "taps" of KW*Cin rows each (kernel width 1).
            boolean runs = rowRuns();
            int icg = runs ? s.kernelWidth() * s.inChannelsPerGroup() : s.inChannelsPerGroup(), ocg = s.outChannelsPerGroup();
            int kw = runs ? 1 : s.kernelWidth();
            taps = runs ? s.kernelHeight() : taps;
            int nv = params.vectorsFor(ocg), rb = Math.min(params.weightRows(), icg);
            int rowBlocks = (icg + rb - 1) / rb, colBlocks = (ocg + 16 * nv - 1) / (16 * nv);
            chunks = Chunks.plan(rows, taps * rowBlocks * s.groups() * colBlocks, MIN_ITEMS, cachedRows(), maxChunks());
            String options = weightGradOptions(nv, rb, ocg % (16 * nv) == 0);
            k = kernels.get(ConvKernelCache.REGISTER_BLOCKED, options, "conv_bwd_weights_rb").arg(0, x).arg(1, dy).arg(2, partial(chunks)).arg(3, zeros.zeros(icg))
                    .arg(4, s.inHeight()).arg(5, s.inWidth()).arg(6, s.inChannels()).arg(7, s.outHeight()).arg(8, s.outWidth())
                    .arg(9, s.outChannels()).arg(10, icg).arg(11, ocg).arg(12, rowBlocks).arg(13, colBlocks).arg(14, kw);
            k = strides(k, 15).arg(21, rows).arg(22, chunks.perChunk()).arg(23, taps);
            Chunks biasChunks = db != null ? ChannelSums.biasChunks(s) : new Chunks(0, 1);
            biasPart = db != null ? sums.biasPartials(s, biasChunks) : zeros.zeros(1);
            k.arg(24, biasPart).arg(25, biasChunks.count()).arg(26, biasChunks.perChunk());
            global = new long[] {(long) taps * rowBlocks + (db != null ? 1 : 0), (long) s.groups() * colBlocks, chunks.count()};
            biasChunkCount = biasChunks.count();
        }
        k.launch(context.queue(), global, global.length == 2 ? new long[] {1, 1} : new long[] {1, 1, 1});
        int weights = Math.toIntExact(s.weightFloats());
        if (db != null) sums.reducePair(partials.atLeast(0), dw, weights, chunks.count(), biasPart, db, s.outChannels(), biasChunkCount);
        else sums.reduce(partials.atLeast(0), dw, weights, chunks.count());
    }

    /**
     * conv_dw_bwd_weights_rows: every tap's accumulator plus a sliding window per kernel row fit the
     * registers (2*KH*KW + 1 float16 <= 32 for up to 3x3 and 5x3) and the width stride and dilation are 1.
     */
    private boolean tapsInRegisters() {
        return s.strideW() == 1 && s.dilationW() == 1 && 2 * s.kernelHeight() * s.kernelWidth() + 1 <= 31;
    }

    /** Output rows of dY per chunk that fit CHUNK_BYTES: every (tap, channel block) work-item of a chunk rereads them. */
    private int cachedRows() {
        return (int) Math.max(1, CHUNK_BYTES / ((long) s.outWidth() * s.outChannels() * Float.BYTES));
    }

    /** Caps partial sums at PARTIAL_FLOATS floats. */
    private int maxChunks() {
        return (int) Math.max(1, PARTIAL_FLOATS / s.weightFloats());
    }

    private ClBuffer partial(Chunks chunks) {
        return partials.atLeast(chunks.count() * s.weightFloats());
    }

    /** Sets SH, SW, PT, PL, DH, DW from argument {@code index} on. */
    private ClKernel strides(ClKernel k, int index) {
        return k.arg(index, s.strideH()).arg(index + 1, s.strideW()).arg(index + 2, s.padTop()).arg(index + 3, s.padLeft())
                .arg(index + 4, s.dilationH()).arg(index + 5, s.dilationW());
    }

    @Override
    public void close() {
        packed.close();
        zeros.close();
        partials.close();
    }
}
