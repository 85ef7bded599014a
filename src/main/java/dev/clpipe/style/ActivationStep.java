package dev.clpipe.style;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.tensor.Tensor;

/** An activation (relu6 in MobileNet v1, leaky ReLU with slope 0.1 in the tiny face detector) through {@code nn.ops.Activation}. */
final class ActivationStep implements FeatureStep {
    private final String name;
    private final Activation activation;
    private final int[] shape;
    private Tensor input;
    private Tensor out;
    private Tensor dx;

    ActivationStep(ClContext context, String name, int[] shape, Activation.Kind kind, float slope) {
        this.name = name;
        this.activation = new Activation(context, kind, slope);
        this.shape = shape.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int[] outShape() {
        return shape.clone();
    }

    // Activation allocates its results; the previous ones are released here.
    @Override
    public Tensor forward(Tensor x) {
        input = x;
        if (out != null) out.close();
        out = activation.forward(x);
        return out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (dx != null) dx.close();
        dx = activation.backward(input, out, dy);
        return dx;
    }

    @Override
    public void close() {
        activation.close();
        if (out != null) out.close();
        if (dx != null) dx.close();
    }
}
