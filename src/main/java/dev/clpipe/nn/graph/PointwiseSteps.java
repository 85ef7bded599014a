package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Add;
import dev.clpipe.nn.ops.ChannelAffine;
import dev.clpipe.nn.ops.Dropout;

/** Training steps of the element-wise nodes: activations, per-channel affine maps, dropout and sums. */
final class PointwiseSteps {
    private PointwiseSteps() {}

    /** Every {@link Activation.Kind} (relu, relu6, leaky, sigmoid, tanh, hard sigmoid, hard swish) with its backward kernel. */
    static PlanStep activation(PlanParts parts, Node.Act a, NodeBuffers b) {
        Activation op = parts.own(new Activation(parts.context, a.kind(), a.slope()));
        int count = parts.batch * a.out().size();
        return new PlanStep() {
            public void forward(boolean training, long step) {
                op.forward(b.x(), b.y(), count);
            }

            public void backward(long step) {
                if (b.dx(0) != null) op.backward(b.x(), b.y(), b.dy(), b.dx(0), count);
            }
        };
    }

    /**
     * y = (x - sub[c]) * mul[c] + add[c] (input normalisation, folded batch norm) with its vectors
     * as fixed state {@code node.sub}, {@code node.mul}, {@code node.add}: backward gives only the
     * input gradient dx = dy * mul[c], through the same kernel with zero sub and add.
     */
    static PlanStep affine(PlanParts parts, Node.Affine a, NodeBuffers b) {
        int channels = a.out().channels(), pixels = parts.batch * a.out().pixels();
        int[] shape = {channels};
        Param sub = parts.param(a.name() + ".sub", shape, channels, Param.Fill.ZEROS, false, a.sub());
        Param mul = parts.param(a.name() + ".mul", shape, channels, Param.Fill.ONES, false, a.mul());
        Param add = parts.param(a.name() + ".add", shape, channels, Param.Fill.ZEROS, false, a.add());
        ChannelAffine op = parts.own(new ChannelAffine(parts.context));
        ClBuffer zeros = parts.allocate((long) channels * Float.BYTES);
        zeros.write(parts.context.queue(), new float[channels]);
        return new PlanStep() {
            public void forward(boolean training, long step) {
                op.forward(b.x(), b.y(), sub.value(), mul.value(), add.value(), channels, pixels);
            }

            public void backward(long step) {
                if (b.dx(0) != null) op.forward(b.dy(), b.dx(0), zeros, mul.value(), zeros, channels, pixels);
            }
        };
    }

    /** Inverted dropout in training, a copy otherwise; backward applies the same mask to dy. */
    static PlanStep dropout(PlanParts parts, Node.Dropout d, NodeBuffers b) {
        Dropout op = parts.own(new Dropout(parts.context, d.p()));
        int count = parts.batch * d.out().size(), perRow = d.out().size();
        return new PlanStep() {
            public void forward(boolean training, long step) {
                if (training) op.apply(b.x(), b.y(), parts.seed, step << 16 | d.stream(), parts.rowOffset() * perRow, count);
                else b.y().copyFrom(parts.context.queue(), b.x());
            }

            public void backward(long step) {
                // a slice of a split batch draws the mask of its rows of the whole batch
                if (b.dx(0) != null) op.apply(b.dy(), b.dx(0), parts.seed, step << 16 | d.stream(), parts.rowOffset() * perRow, count);
            }
        };
    }

    /** The sum of two or more inputs; every input's gradient is dy itself (the plan hands them dy's buffer). */
    static PlanStep sum(PlanParts parts, Add add, Node.Sum s, NodeBuffers b) {
        int count = parts.batch * s.out().size();
        return new PlanStep() {
            public void forward(boolean training, long step) {
                add.forward(b.xs()[0], b.xs()[1], b.y(), count);
                for (int k = 2; k < b.xs().length; k++) add.accumulate(b.y(), b.xs()[k], count);
            }

            public void backward(long step) {}
        };
    }
}
