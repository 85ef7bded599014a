package dev.clpipe.style;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Conv2d;
import dev.clpipe.nn.ops.Conv2dShape;
import dev.clpipe.tensor.Tensor;

/** A frozen convolution (HWIO weights, grouped for depthwise) plus bias; backward is backward-data only. */
final class ConvStep extends OwnedBuffersStep {
    private final Conv2d conv;
    private final ClBuffer weights;
    private final ClBuffer bias;

    ConvStep(ClContext context, String name, Conv2dShape shape, float[] hwio, float[] bias) {
        super(context, name, new int[] {shape.inHeight(), shape.inWidth(), shape.inChannels()},
                new int[] {shape.outHeight(), shape.outWidth(), shape.outChannels()});
        this.conv = Conv2d.create(context, shape);
        this.weights = context.buffer(hwio);
        this.bias = bias == null ? null : context.buffer(bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        conv.forward(x.buffer(), weights, bias, out.buffer());
        return out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        conv.backwardData(dy.buffer(), weights, dx.buffer());
        return dx;
    }

    @Override
    public void close() {
        conv.close();
        weights.close();
        if (bias != null) bias.close();
        super.close();
    }
}
