package dev.clpipe.nn;

import dev.clpipe.nn.ops.Activation;
import java.util.ArrayList;
import java.util.List;

/** Models built in code: the same networks as {@code pipelines/models/*.yaml}, for benchmarks and tests. */
public final class Models {
    private Models() {}

    /** LeNet-5 with ReLU and max pooling for 28x28x1 inputs, 10 classes (61,706 parameters). */
    public static ModelSpec lenet5() {
        return ModelSpec.of("lenet5", new Shape(28, 28, 1), List.of(
                new LayerSpec.Conv("conv1", 6, 5, 1, 2),
                new LayerSpec.Act("relu1", Activation.Kind.RELU),
                new LayerSpec.Pool("maxpool1", true, 2, 2, 0),
                new LayerSpec.Conv("conv2", 16, 5, 1, 0),
                new LayerSpec.Act("relu2", Activation.Kind.RELU),
                new LayerSpec.Pool("maxpool2", true, 2, 2, 0),
                new LayerSpec.Flatten("flatten1"),
                new LayerSpec.Dense("fc1", 120),
                new LayerSpec.Act("relu3", Activation.Kind.RELU),
                new LayerSpec.Dense("fc2", 84),
                new LayerSpec.Act("relu4", Activation.Kind.RELU),
                new LayerSpec.Dense("fc3", 10)));
    }

    /** pipelines/models/resnet-mnist.yaml: the small residual network of pipelines/mnist-resnet.yaml (129,162 parameters). */
    public static ModelSpec resnetMnist() {
        Builder b = new Builder();
        b.convBnRelu(16, 3, 1).residual(16, true, false).relu().pool(true, 2, 2, 0);
        b.conv(32, 3, 1).relu().residual(32, false, true).relu().pool(true, 2, 2, 0);
        b.add(new LayerSpec.Dropout(b.name("dropout"), 0.25f));
        b.add(new LayerSpec.Dense(b.name("dense"), 64)).relu().add(new LayerSpec.Dense(b.name("dense"), 10));
        return ModelSpec.of("resnet-mnist", new Shape(28, 28, 1), b.layers);
    }

    /** pipelines/models/resnet20-32px.yaml: ResNet-20-style for 32x32 colour images (270,410 parameters). */
    public static ModelSpec resnet20() {
        return cifarResNet("resnet20-32px", new Shape(32, 32, 3), 16, 3, 10);
    }

    /**
     * The ResNet-20 layout, scaled: a 3x3 stem of {@code width} channels, three stages of {@code blocks}
     * two-conv blocks at width, 2x and 4x width (every later stage opens with a plain block whose
     * first conv has stride 2; the others are residual), global average pooling, one dense layer.
     * ResNet-20 is (32x32x3, 16, 3, 10); tests use small ones. The input must be square, a multiple of 4.
     */
    public static ModelSpec cifarResNet(String name, Shape input, int width, int blocks, int classes) {
        if (input.height() != input.width() || input.height() % 4 != 0) throw new IllegalArgumentException("needs a square input, a multiple of 4: " + input);
        Builder b = new Builder();
        b.convBnRelu(width, 3, 1);
        for (int i = 0; i < blocks; i++) b.residual(width, true, false).relu();
        for (int w : new int[] {2 * width, 4 * width}) {
            b.convBnRelu(w, 3, 2).convBnRelu(w, 3, 1);
            for (int i = 1; i < blocks; i++) b.residual(w, true, false).relu();
        }
        int pooled = input.height() / 4;
        b.pool(false, pooled, pooled, 0).add(new LayerSpec.Dense(b.name("dense"), classes));
        return ModelSpec.of(name, input, b.layers);
    }

    /** pipelines/models/resnet18-112px.yaml: ResNet-18-style at half width for 112x112 colour images (2,759,498 parameters). */
    public static ModelSpec resnet18() {
        Builder b = new Builder();
        b.add(new LayerSpec.Conv(b.name("conv"), 32, 7, 2, 3)).batchNorm().relu().pool(true, 3, 2, 1);
        for (int i = 0; i < 2; i++) b.residual(32, true, false).relu();
        for (int width : new int[] {64, 128, 256}) b.convBnRelu(width, 3, 2).convBnRelu(width, 3, 1).residual(width, true, false).relu();
        b.pool(false, 4, 4, 0).add(new LayerSpec.Dense(b.name("dense"), 10));
        return ModelSpec.of("resnet18-112px", new Shape(112, 112, 3), b.layers);
    }

    /** Layers in order with unique generated names (type + running number). */
    private static final class Builder {
        final List<LayerSpec> layers = new ArrayList<>();
        private int count;

        String name(String type) {
            return type + ++count;
        }

        Builder add(LayerSpec layer) {
            layers.add(layer);
            return this;
        }

        Builder conv(int filters, int kernel, int stride) {
            return add(new LayerSpec.Conv(name("conv"), filters, kernel, stride, kernel / 2));
        }

        Builder batchNorm() {
            return add(new LayerSpec.BatchNorm(name("batchnorm"), 1e-5f, 0.1f));
        }

        Builder relu() {
            return add(new LayerSpec.Act(name("relu"), Activation.Kind.RELU));
        }

        Builder pool(boolean max, int size, int stride, int pad) {
            return add(new LayerSpec.Pool(name(max ? "maxpool" : "avgpool"), max, size, stride, pad));
        }

        Builder convBnRelu(int filters, int kernel, int stride) {
            return conv(filters, kernel, stride).batchNorm().relu();
        }

        /**
         * y = x + body(x), body = conv3x3, bn, relu, [dropout 0.1], conv3x3, [bn]: the two-conv block of the zoo
         * ResNets ({@code secondNorm}) or resnet-mnist's second block (dropout, no second bn).
         */
        Builder residual(int width, boolean secondNorm, boolean dropout) {
            String block = name("block");
            List<LayerSpec> body = new ArrayList<>();
            body.add(new LayerSpec.Conv(block + ".conv1", width, 3, 1, 1));
            body.add(new LayerSpec.BatchNorm(block + ".bn1", 1e-5f, 0.1f));
            body.add(new LayerSpec.Act(block + ".relu", Activation.Kind.RELU));
            if (dropout) body.add(new LayerSpec.Dropout(block + ".dropout", 0.1f));
            body.add(new LayerSpec.Conv(block + ".conv2", width, 3, 1, 1));
            if (secondNorm) body.add(new LayerSpec.BatchNorm(block + ".bn2", 1e-5f, 0.1f));
            return add(new LayerSpec.Residual(block, body));
        }
    }
}
