package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.BatchNormNhwc;
import dev.clpipe.nn.ops.ChannelAffine;
import dev.clpipe.nn.ops.Concat;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import java.util.List;

/** Training steps of the per-channel and copying nodes: batch normalisation, channel concatenation and zero padding. */
final class ChannelSteps {
    private ChannelSteps() {}

    /**
     * Parameters {@code node.weight} (gamma), {@code node.bias} (beta) and state
     * {@code node.running_mean}, {@code node.running_var}. Training backward goes through the
     * batch statistics; a frozen plan (evaluation mode throughout) back-propagates the
     * running-statistics map, dx = dy * gamma / sqrt(var + eps), with the graph's values.
     */
    static PlanStep batchNorm(PlanParts parts, Node.BatchNorm n, NodeBuffers b) {
        int channels = n.out().channels(), pixels = parts.batch * n.out().pixels();
        BatchNormNhwc op = parts.own(new BatchNormNhwc(parts.context, pixels, channels));
        int[] shape = {channels};
        Param gamma = parts.param(n.name() + ".weight", shape, channels, Param.Fill.ONES, true, n.gamma());
        Param beta = parts.param(n.name() + ".bias", shape, channels, Param.Fill.ZEROS, true, n.beta());
        Param mean = parts.param(n.name() + ".running_mean", shape, channels, Param.Fill.ZEROS, false, n.mean());
        Param var = parts.param(n.name() + ".running_var", shape, channels, Param.Fill.ONES, false, n.var());
        if (!parts.weightGradients) return frozenBatchNorm(parts, n, b, op, gamma, beta, mean, var);
        return new PlanStep() {
            public void forward(boolean training, long step) {
                if (training) op.forwardTraining(b.x(), b.y(), gamma.value(), beta.value(), mean.value(), var.value(), n.eps(), n.momentum());
                else op.forwardRunning(b.x(), b.y(), gamma.value(), beta.value(), mean.value(), var.value(), n.eps());
            }

            public void backward(long step) {
                op.backward(b.x(), b.dy(), gamma.value(), gamma.grad(), beta.grad(), b.dx(0));
            }
        };
    }

    private static PlanStep frozenBatchNorm(PlanParts parts, Node.BatchNorm n, NodeBuffers b, BatchNormNhwc op,
                                            Param gamma, Param beta, Param mean, Param var) {
        int channels = n.out().channels(), pixels = parts.batch * n.out().pixels();
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) scale[c] = (float) (n.gamma()[c] / Math.sqrt((double) n.var()[c] + n.eps()));
        ChannelAffine affine = parts.own(new ChannelAffine(parts.context));
        ClBuffer scales = parts.allocate((long) channels * Float.BYTES), zeros = parts.allocate((long) channels * Float.BYTES);
        scales.write(parts.context.queue(), scale);
        zeros.write(parts.context.queue(), new float[channels]);
        return new PlanStep() {
            public void forward(boolean training, long step) {
                op.forwardRunning(b.x(), b.y(), gamma.value(), beta.value(), mean.value(), var.value(), n.eps());
            }

            public void backward(long step) {
                if (b.dx(0) != null) affine.forward(b.dy(), b.dx(0), zeros, scales, zeros, channels, pixels);
            }
        };
    }

    /** Channel concatenation; backward splits dy back into the inputs' channel ranges. */
    static PlanStep concat(PlanParts parts, Node.Concat c, NodeBuffers b) {
        Concat op = parts.own(new Concat(parts.context));
        int total = c.out().channels(), pixels = parts.batch * c.out().pixels();
        List<Integer> widths = c.ins().stream().map(s -> s.channels()).toList();
        return new PlanStep() {
            public void forward(boolean training, long step) {
                int offset = 0;
                for (int k = 0; k < widths.size(); k++) {
                    op.concatPart(b.xs()[k], b.y(), widths.get(k), total, offset, pixels);
                    offset += widths.get(k);
                }
            }

            public void backward(long step) {
                int offset = 0;
                for (int k = 0; k < widths.size(); k++) {
                    if (b.dx(k) != null) op.splitPart(b.dy(), b.dx(k), widths.get(k), total, offset, pixels);
                    offset += widths.get(k);
                }
            }
        };
    }

    /**
     * Zero rows, columns and appended channels. Backward crops dy back to the input with the
     * concat's split kernel, up to three passes, each keeping a contiguous slice of every "row":
     * the first C floats of each pixel, the middle W*C floats of each image row, the middle
     * H*W*C floats of each image.
     */
    static PlanStep zeroPad(PlanParts parts, Node.ZeroPad z, NodeBuffers b) {
        ZeroPadNhwc op = parts.own(new ZeroPadNhwc(parts.context));
        Concat crop = parts.own(new Concat(parts.context));
        Shape in = z.in(), out = z.out();
        ZeroPadNhwc.Pads p = z.pads();
        int n = parts.batch, h = in.height(), w = in.width(), c = in.channels(), oh = out.height(), ow = out.width();
        boolean channels = p.channels() > 0, columns = p.left() + p.right() > 0, rows = p.top() + p.bottom() > 0;
        ClBuffer afterChannels = channels && (columns || rows) ? parts.allocate((long) n * oh * ow * c * Float.BYTES) : null;
        ClBuffer afterColumns = columns && rows ? parts.allocate((long) n * oh * w * c * Float.BYTES) : null;
        return new PlanStep() {
            public void forward(boolean training, long step) {
                op.forward(b.x(), b.y(), n, h, w, c, p);
            }

            public void backward(long step) {
                ClBuffer dx = b.dx(0);
                if (dx == null) return;
                ClBuffer from = b.dy();
                if (!channels && !columns && !rows) dx.copyFrom(parts.context.queue(), from, (long) n * h * w * c * Float.BYTES);
                if (channels) {
                    ClBuffer to = afterChannels != null ? afterChannels : dx;
                    crop.splitPart(from, to, c, out.channels(), 0, n * oh * ow);
                    from = to;
                }
                if (columns) {
                    ClBuffer to = afterColumns != null ? afterColumns : dx;
                    crop.splitPart(from, to, w * c, ow * c, p.left() * c, n * oh);
                    from = to;
                }
                if (rows) crop.splitPart(from, dx, h * w * c, oh * w * c, p.top() * w * c, n);
            }
        };
    }
}
