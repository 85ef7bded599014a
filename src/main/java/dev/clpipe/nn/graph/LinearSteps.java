package dev.clpipe.nn.graph;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Conv2d;
import dev.clpipe.nn.ops.Conv2dShape;
import dev.clpipe.nn.ops.Gemm;
import dev.clpipe.nn.ops.GemmShape;
import dev.clpipe.nn.ops.OpVariant;
import dev.clpipe.nn.ops.SmallConv;
import dev.clpipe.nn.ops.SmallConvInputGrad;

/** Training steps of the nodes with weights: convolutions (any kernel, stride, padding and groups, with or without bias) and dense layers. */
final class LinearSteps {
    private LinearSteps() {}

    /**
     * Weights {@code node.weight} HWIO {@code [kh][kw][in/groups][out]} (depthwise: {@code [kh][kw][1][C]}),
     * bias {@code node.bias} when the node has one. Backward: weight and bias gradients (unless
     * frozen; together through {@link Conv2d#backwardWeightsAndBias}, which saves the bias its own
     * launches) and the input gradient through {@link Conv2d}, whose grouped and depthwise
     * kernels ({@code conv_dw.cl}) the inference plan runs too.
     */
    static PlanStep conv(PlanParts parts, Node.Conv c, NodeBuffers b) {
        Conv2dShape shape = GraphReference.convShape(c, parts.batch);
        int perGroup = c.in().channels() / c.groups(), filters = c.out().channels();
        int fanIn = c.kernelH() * c.kernelW() * perGroup;
        OpVariant variant = OpVariant.TRAINING_CONV;
        Conv2d conv = parts.own(Conv2d.create(parts.context, shape, variant));
        Param weight = parts.param(c.name() + ".weight", new int[] {c.kernelH(), c.kernelW(), perGroup, filters}, fanIn, Param.Fill.HE_UNIFORM, true, c.weights());
        Param bias = c.bias() == null ? null : parts.param(c.name() + ".bias", new int[] {filters}, fanIn, Param.Fill.ZEROS, true, c.bias());
        // The small-shape kernels serve training's thin first layers; a frozen plan runs the general
        // kernels, as inference does (style transfer's costs were made with them).
        boolean small = parts.weightGradients && variant == OpVariant.AUTO;
        SmallConv smallConv = small && bias != null && SmallConv.applies(shape) ? parts.own(new SmallConv(parts.context, shape)) : null;
        SmallConvInputGrad smallInputGrad = small && SmallConvInputGrad.applies(shape) ? parts.own(new SmallConvInputGrad(parts.context, shape)) : null;
        parts.kernels.add(c.name() + "=" + conv.describe() + (smallConv != null ? "+SmallConv" : "") + (smallInputGrad != null ? "+SmallInputGrad" : ""));
        return new PlanStep() {
            public void forward(boolean training, long step) {
                if (smallConv != null) smallConv.forward(b.x(), weight.value(), bias.value(), b.y());
                else conv.forward(b.x(), weight.value(), bias == null ? null : bias.value(), b.y());
            }

            public void backward(long step) {
                if (weight.trainable()) {
                    if (smallConv != null) {
                        smallConv.backwardWeights(b.x(), b.dy(), weight.grad(), bias.grad());
                    } else {
                        if (bias != null && parts.fuse) {
                            conv.backwardWeightsAndBias(b.x(), b.dy(), weight.grad(), bias.grad());
                        } else {
                            conv.backwardWeights(b.x(), b.dy(), weight.grad());
                            if (bias != null) conv.backwardBias(b.dy(), bias.grad());
                        }
                    }
                }
                if (b.dx(0) == null) return;
                if (smallInputGrad != null) smallInputGrad.backwardData(b.dy(), weight.value(), b.dx(0));
                else conv.backwardData(b.dy(), weight.value(), b.dx(0));
            }
        };
    }

    /**
     * y = x W^T + b with W [out, in] (PyTorch; the graph holds [in, out]): dW = dy^T x, dx = dy W, db = column sums of dy.
     * At small shapes each GEMM is one launch and db comes from dW's launch ({@link Gemm#runWithRowSums}): one launch
     * forward, two backward. {@code reluOut}: y is the ReLU of the product (the ReLU after it is folded in, {@link
     * DenseReluFolds}); {@code gatesDx}: x is a ReLU's output and dx = dy W is zeroed where x is not positive, the ReLU's
     * backward done in the same launch.
     */
    static PlanStep dense(PlanParts parts, Node.Dense d, NodeBuffers b, boolean reluOut, boolean gatesDx) {
        Shape inShape = d.in();
        int in = inShape.size(), units = d.out().channels(), batch = parts.batch;
        Gemm gemm = parts.own(Gemm.create(parts.context));
        Param weight = parts.param(d.name() + ".weight", new int[] {units, in}, in, Param.Fill.HE_UNIFORM, true, SpecGraph.transpose(d.weights(), in, units));
        Param bias = d.bias() == null ? null : parts.param(d.name() + ".bias", new int[] {units}, in, Param.Fill.ZEROS, true, d.bias());
        if (reluOut || gatesDx) {
            parts.kernels.add(d.name() + "=Gemm(" + (reluOut ? "relu out" : "") + (reluOut && gatesDx ? ", " : "") + (gatesDx ? "relu-gated dx" : "") + ")");
        }
        return new PlanStep() {
            public void forward(boolean training, long step) {
                GemmShape shape = GemmShape.of(batch, units, in, false, true);
                ClBuffer biasValue = bias == null ? null : bias.value();
                if (reluOut) gemm.runRelu(shape, b.x(), weight.value(), b.y(), biasValue);
                else gemm.run(shape, b.x(), weight.value(), b.y(), biasValue);
            }

            public void backward(long step) {
                if (weight.trainable()) {
                    GemmShape weightGrad = GemmShape.of(units, in, batch, true, false);
                    if (bias != null) gemm.runWithRowSums(weightGrad, b.dy(), b.x(), weight.grad(), bias.grad());
                    else gemm.run(weightGrad, b.dy(), b.x(), weight.grad());
                }
                if (b.dx(0) == null) return;
                GemmShape inputGrad = GemmShape.of(batch, in, units, false, false);
                if (gatesDx) gemm.runGated(inputGrad, b.dy(), weight.value(), b.dx(0), b.x());
                else gemm.run(inputGrad, b.dy(), weight.value(), b.dx(0));
            }
        };
    }
}
