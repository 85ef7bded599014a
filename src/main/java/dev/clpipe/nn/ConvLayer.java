package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Conv2d;
import dev.clpipe.nn.ops.Conv2dShape;
import dev.clpipe.nn.ops.OpVariant;
import dev.clpipe.nn.ops.SmallConv;
import dev.clpipe.nn.ops.SmallConvInputGrad;
import java.util.List;

/** 2-D convolution with bias, NHWC activations, HWIO weights ({@link Conv2d} kernels). */
final class ConvLayer implements Layer {
    private static final OpVariant VARIANT = OpVariant.TRAINING_CONV;

    private final LayerSpec.Conv spec;
    private final Conv2d conv;
    private final Param weight;
    private final Param bias;
    private final SmallConv small;
    private final SmallConvInputGrad smallInputGrad;

    ConvLayer(ClContext context, LayerSpec.Conv spec, Shape in, int batch) {
        this.spec = spec;
        Conv2dShape shape = Conv2dShape.input(batch, in.height(), in.width(), in.channels()).output(spec.filters())
                .kernel(spec.kernel()).stride(spec.stride()).padding(spec.pad()).build();
        this.conv = Conv2d.create(context, shape, VARIANT);
        this.small = SmallConv.applies(shape) && VARIANT == OpVariant.AUTO ? new SmallConv(context, shape) : null;
        this.smallInputGrad = SmallConvInputGrad.applies(shape) && VARIANT == OpVariant.AUTO ? new SmallConvInputGrad(context, shape) : null;
        int fanIn = spec.kernel() * spec.kernel() * in.channels();
        this.weight = new Param(context, spec.name() + ".weight", new int[] {spec.kernel(), spec.kernel(), in.channels(), spec.filters()},
                fanIn, Param.Fill.HE_UNIFORM, true);
        this.bias = new Param(context, spec.name() + ".bias", new int[] {spec.filters()}, fanIn, Param.Fill.ZEROS, true);
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public void forward(ClBuffer x, ClBuffer y, boolean training, long step) {
        if (small != null) small.forward(x, weight.value(), bias.value(), y);
        else conv.forward(x, weight.value(), bias.value(), y);
    }

    @Override
    public void backward(ClBuffer x, ClBuffer y, ClBuffer dy, ClBuffer dx, long step) {
        if (small != null) {
            small.backwardWeights(x, dy, weight.grad(), bias.grad());
        } else {
            conv.backwardWeights(x, dy, weight.grad());
            conv.backwardBias(dy, bias.grad());
        }
        if (dx == null) return;
        if (smallInputGrad != null) smallInputGrad.backwardData(dy, weight.value(), dx);
        else conv.backwardData(dy, weight.value(), dx);
    }

    /** Variant and parameters of the convolution kernels, for logs. */
    String describeKernels() {
        return conv.describe() + (small != null ? "+SmallConv" : "") + (smallInputGrad != null ? "+SmallInputGrad" : "");
    }

    @Override
    public void close() {
        conv.close();
        if (small != null) small.close();
        if (smallInputGrad != null) smallInputGrad.close();
        weight.close();
        bias.close();
    }
}
