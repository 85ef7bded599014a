package dev.clpipe.bench;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.EpochOrder;
import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Dropout;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.Pool2dNhwc;
import dev.clpipe.nn.ops.PoolWindow;
import dev.clpipe.tensor.Tensor;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Memory-bound cases of the kernels suite at resnet-mnist's block-2 activation (batch 64,
 * 14x14x32): dropout (Philox mask per element) beside ReLU, the cheapest pass over the same
 * tensor; max pooling and the batch gather of training. The variant column names the kernel form;
 * {@code gb_per_s} is the bytes the op must read and write per ms.
 */
final class ElementwiseBench {
    static final int N = 64, H = 14, W = 14, C = 32;

    private final ClContext context;
    private final double budget;
    private final Consumer<BenchResult> sink;

    ElementwiseBench(ClContext context, double budget, Consumer<BenchResult> sink) {
        this.context = context;
        this.budget = budget;
        this.sink = sink;
    }

    void runAll() {
        try (Tensor x = Tensor.fromHost(context, Inputs.random(1, N * H * W * C), N * H * W * C);
                Dropout dropout = new Dropout(context, 0.1f);
                Activation relu = new Activation(context, Activation.Kind.RELU)) {
            report("elementwise relu forward", "relu", () -> relu.forward(x), x.size());
            report("elementwise dropout 0.1 forward", "dropout_apply", () -> dropout.forward(x, 42, 7), x.size());
        }
        batchNorm();
        maxPool(32, "float16 kernels");
        maxPool(31, "scalar kernels (C % 16 != 0)");
        gather(784, "16 pixels per item (width % 16 == 0)");
        gather(783, "one pixel per item");
    }

    /**
     * A training batch of 128 rows gathered in shuffled order from 8,192 device-resident 8-bit
     * images of {@code width} pixels and normalised (MNIST's 784, and 783 for the scalar kernel).
     * GB/s counts the bytes read and the floats written.
     */
    private void gather(int width, String variant) {
        int count = 8192, batch = 128;
        byte[] images = new byte[count * width];
        new java.util.Random(5).nextBytes(images);
        Dataset data = new Dataset("bench", images, new int[count], Shape.flat(width), 10);
        try (DeviceDataset set = new DeviceDataset(context, data, 0.13f, 0.31f);
                ClBuffer x = context.buffer((long) batch * width * Float.BYTES); ClBuffer y = context.buffer(batch * 4L)) {
            set.setOrder(EpochOrder.of(1, 1, count));
            int[] first = {0};
            double ms = Timer.millis(context.queue(), () -> {
                set.gather(first[0], batch, batch, x, y);
                first[0] = (first[0] + batch) % count;
            }, 3, budget);
            double bytes = (double) batch * width * (1 + Float.BYTES);
            sink.accept(BenchResult.call("elementwise gather batch", batch + "x" + width, variant, BenchDevice.of(context), ms, Double.NaN)
                    .with("gb_per_s", bytes / ms / 1e6));
        }
    }

    /**
     * ResNet-18-112px's stem max pool (3x3, stride 2, padding 1; batch 32, 56x56 in) forward and
     * backward; 32 channels take the float16 kernels, 31 the per-element ones, so the two rows put
     * them side by side in one run. GB/s counts x read, y + argmax written, dy + argmax read, dx written.
     */
    private void maxPool(int c, String variant) {
        int n = 32, h = 56, w = 56;
        PoolWindow window = PoolWindow.of(3, 2, 1);
        int in = n * h * w * c, out = n * window.outH(h) * window.outW(w) * c;
        try (Pool2dNhwc pool = new Pool2dNhwc(context, Pool2d.Mode.MAX, window, false);
                ClBuffer x = context.buffer(Inputs.random(2, in)); ClBuffer y = context.buffer(out * 4L);
                ClBuffer argmax = context.buffer(out * 4L); ClBuffer dx = context.buffer(in * 4L)) {
            double ms = Timer.millis(context.queue(), () -> {
                pool.forward(x, y, argmax, n, h, w, c);
                pool.backward(y, argmax, dx, n, h, w, c);
            }, 3, budget);
            double bytes = (2.0 * in + 4.0 * out) * Float.BYTES;
            sink.accept(BenchResult.call("elementwise maxpool 3x3/2 forward+backward", n + "x" + h + "x" + w + "x" + c, variant,
                    BenchDevice.of(context), ms, Double.NaN).with("gb_per_s", bytes / ms / 1e6));
        }
    }

    /**
     * A batch-norm layer's training forward and backward (statistics, normalise, dgamma/dbeta, input
     * gradient) at resnet-mnist's block-1 activation (batch 64, 28x28x16), behind a ReLU so that it
     * computes its input gradient as inside a network; GB/s counts 2 reads + 1 write forward and
     * 2 reads + 1 write backward of the tensor.
     */
    private void batchNorm() {
        Shape in = new Shape(28, 28, 16);
        ModelSpec spec = ModelSpec.of("bn", in, List.of(new LayerSpec.Act("relu", Activation.Kind.RELU),
                new LayerSpec.BatchNorm("bn", 1e-5f, 0.1f)));
        try (Network net = new Network(context, spec, N, 1)) {
            double ms = Timer.millis(context.queue(), () -> {
                net.forward(true, 0);
                net.backward(0);
            }, 3, budget);
            double bytes = 6.0 * N * in.size() * Float.BYTES;
            sink.accept(BenchResult.call("elementwise batchnorm+relu layers train step", N + "x28x28x16", "bn_nhwc_*",
                    BenchDevice.of(context), ms, Double.NaN).with("gb_per_s", bytes / ms / 1e6));
        }
    }

    private void report(String op, String kernel, Supplier<Tensor> work, int elements) {
        double ms = Timer.millis(context.queue(), () -> work.get().close(), 3, budget);
        double bytes = 2.0 * elements * Float.BYTES;
        sink.accept(BenchResult.call(op, N + "x" + H + "x" + W + "x" + C, kernel,
                BenchDevice.of(context), ms, Double.NaN).with("gb_per_s", bytes / ms / 1e6));
    }
}
