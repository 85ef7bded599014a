package dev.clpipe.nn.graph;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.io.ConvWeights;
import dev.clpipe.nn.io.DenseWeights;
import dev.clpipe.nn.io.DepthwiseFilter;
import dev.clpipe.nn.io.SeparableConvWeights;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.ConvTransposeWindow;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.PoolWindow;
import dev.clpipe.nn.ops.Upsample;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records a {@link Graph} node by node; every method checks shapes and returns the new node's
 * {@link Value}. Names identify nodes in errors and per-node profiles.
 *
 * <pre>{@code
 * GraphBuilder g = Graph.builder();
 * Value x = g.input(416, 416, 3);
 * x = g.normalize("normalize", x, new float[] {117.001f, 114.697f, 97.404f}, 1 / 255f);
 * x = g.leakyRelu("conv0/leaky", g.conv("conv0", x, weights.conv0(), 1, Padding.VALID), 0.1f);
 * x = g.maxPool("pool0", x, 2, 2, Padding.SAME);
 * Graph graph = g.build(x);
 * }</pre>
 */
public final class GraphBuilder {
    private final List<Node> nodes = new ArrayList<>();

    GraphBuilder() {}

    public Value input(int height, int width, int channels) {
        if (!nodes.isEmpty()) throw new IllegalStateException("the graph already has its input");
        return add(new Node.Input("input", new Shape(height, width, channels)));
    }

    // ---- convolutions ----

    /**
     * A convolution with weights HWIO {@code [kh][kw][in/groups][out]}, bias {@code [out]} or
     * null, square stride, TensorFlow 'same'/'valid' or explicit padding.
     */
    public Value conv(String name, Value x, float[] hwio, float[] bias, int kernelH, int kernelW, int outChannels,
                      int stride, Padding padding, int groups) {
        Shape in = check(x);
        if (groups < 1 || in.channels() % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(name + ": groups " + groups + " must divide " + in.channels() + " input and " + outChannels + " output channels");
        }
        long want = (long) kernelH * kernelW * (in.channels() / groups) * outChannels;
        if (hwio.length != want) {
            throw new IllegalArgumentException(name + ": " + hwio.length + " weights, expected " + want + " for ["
                    + kernelH + "," + kernelW + "," + in.channels() / groups + "," + outChannels + "]");
        }
        if (bias != null && bias.length != outChannels) throw new IllegalArgumentException(name + ": bias has " + bias.length + " values, expected " + outChannels);
        int[] pads = padding.resolve(in.height(), in.width(), kernelH, kernelW, stride, stride);
        int oh = outSize(name, in.height(), kernelH, stride, pads[0] + pads[1]);
        int ow = outSize(name, in.width(), kernelW, stride, pads[2] + pads[3]);
        return add(new Node.Conv(name, x.node(), in, new Shape(oh, ow, outChannels), kernelH, kernelW, stride, stride, pads, groups,
                hwio.clone(), bias == null ? null : bias.clone()));
    }

    public Value conv(String name, Value x, ConvWeights w, int stride, Padding padding) {
        requireChannels(name, x, w.filter().in());
        return conv(name, x, w.filter().hwio(), w.bias(), w.filter().kh(), w.filter().kw(), w.filter().out(), stride, padding, 1);
    }

    /** Depthwise convolution (multiplier 1), filter {@code [kh][kw][C]} as TensorFlow stores it. */
    public Value depthwise(String name, Value x, DepthwiseFilter f, float[] bias, int stride, Padding padding) {
        requireChannels(name, x, f.channels());
        return conv(name, x, f.hwc(), bias, f.kh(), f.kw(), f.channels(), stride, padding, f.channels());
    }

    /**
     * TensorFlow's separableConv2d + bias: depthwise (stride, padding, no bias), then pointwise 1x1
     * with the bias. Nodes {@code name/depthwise} and {@code name/pointwise}.
     */
    public Value separable(String name, Value x, SeparableConvWeights w, int stride, Padding padding) {
        Value d = depthwise(name + "/depthwise", x, w.depthwise(), null, stride, padding);
        return conv(name + "/pointwise", d, w.pointwise().hwio(), w.bias(), 1, 1, w.outChannels(), 1, Padding.VALID, 1);
    }

    /** A transposed convolution (groups 1) with weights {@code [kh][kw][in][out]} and bias {@code [out]} or null (zeros). */
    public Value convTranspose(String name, Value x, float[] weights, float[] bias, int outChannels, ConvTransposeWindow window) {
        Shape in = check(x);
        long want = (long) window.kernelH() * window.kernelW() * in.channels() * outChannels;
        if (weights.length != want) {
            throw new IllegalArgumentException(name + ": " + weights.length + " weights, expected " + want + " for ["
                    + window.kernelH() + "," + window.kernelW() + "," + in.channels() + "," + outChannels + "]");
        }
        if (bias != null && bias.length != outChannels) throw new IllegalArgumentException(name + ": bias has " + bias.length + " values, expected " + outChannels);
        int oh = window.outH(in.height()), ow = window.outW(in.width());
        if (oh < 1 || ow < 1) throw new IllegalArgumentException(name + ": " + window + " leaves no output of a " + in.height() + "x" + in.width() + " map");
        return add(new Node.ConvTranspose(name, x.node(), in, new Shape(oh, ow, outChannels), window, weights.clone(),
                bias == null ? new float[outChannels] : bias.clone()));
    }

    /** Resizes to {@code outH x outW}; {@code stepH}/{@code stepW} are source pixels per output pixel. */
    public Value resize(String name, Value x, Upsample.Mode mode, int outH, int outW, float stepH, float stepW) {
        Shape in = check(x);
        if (outH < 1 || outW < 1) throw new IllegalArgumentException(name + ": resize to " + outH + "x" + outW);
        if (!(stepH > 0) || !(stepW > 0) || Float.isInfinite(stepH) || Float.isInfinite(stepW)) {
            throw new IllegalArgumentException(name + ": resize steps must be positive and finite, got " + stepH + ", " + stepW);
        }
        return add(new Node.Resize(name, x.node(), in, new Shape(outH, outW, in.channels()), mode, stepH, stepW));
    }

    // ---- element-wise ----

    /** y = (x - sub[c]) * mul[c] + add[c]. */
    public Value affine(String name, Value x, float[] sub, float[] mul, float[] add) {
        Shape d = check(x);
        for (float[] v : new float[][] {sub, mul, add}) {
            if (v.length != d.channels()) throw new IllegalArgumentException(name + ": " + v.length + " per-channel values for " + d.channels() + " channels");
        }
        return add(new Node.Affine(name, x.node(), d, sub.clone(), mul.clone(), add.clone()));
    }

    /** Input normalisation (x - mean[c]) * multiplier, e.g. face-api's (x - meanRgb) / 255. */
    public Value normalize(String name, Value x, float[] mean, float multiplier) {
        float[] mul = new float[mean.length];
        Arrays.fill(mul, multiplier);
        return affine(name, x, mean, mul, new float[mean.length]);
    }

    /** y = x * scale[c] + offset[c] (scale layers, folded batch norm). */
    public Value scaleOffset(String name, Value x, float[] scale, float[] offset) {
        return affine(name, x, new float[scale.length], scale, offset);
    }

    public Value relu(String name, Value x) {
        return activation(name, x, Activation.Kind.RELU, 0);
    }

    public Value relu6(String name, Value x) {
        return activation(name, x, Activation.Kind.RELU6, 0);
    }

    /** x for x > 0, {@code slope * x} otherwise. */
    public Value leakyRelu(String name, Value x, float slope) {
        return activation(name, x, Activation.Kind.LEAKY_RELU, slope);
    }

    public Value activation(String name, Value x, Activation.Kind kind, float slope) {
        return add(new Node.Act(name, x.node(), check(x), kind, slope));
    }

    /** Sum of two or more values of equal dims. */
    public Value add(String name, Value... xs) {
        if (xs.length < 2) throw new IllegalArgumentException(name + ": add needs at least two inputs");
        Shape d = check(xs[0]);
        List<Integer> ins = new ArrayList<>();
        for (Value v : xs) {
            if (!check(v).equals(d)) throw new IllegalArgumentException(name + ": cannot add " + v.dims() + " to " + d);
            ins.add(v.node());
        }
        return add(new Node.Sum(name, ins, d));
    }

    // ---- pooling, padding, dense ----

    public Value maxPool(String name, Value x, int kernel, int stride, Padding padding) {
        return pool(name, x, Pool2d.Mode.MAX, kernel, stride, padding);
    }

    /** Average pooling; padded cells are not counted (TensorFlow). */
    public Value avgPool(String name, Value x, int kernel, int stride, Padding padding) {
        return pool(name, x, Pool2d.Mode.AVERAGE, kernel, stride, padding);
    }

    private Value pool(String name, Value x, Pool2d.Mode mode, int kernel, int stride, Padding padding) {
        return pool(name, x, mode, kernel, kernel, stride, stride, padding);
    }

    /** Max or average pooling over a kernelH x kernelW window (non-square windows and strides, as ONNX allows). */
    public Value pool(String name, Value x, Pool2d.Mode mode, int kernelH, int kernelW, int strideH, int strideW, Padding padding) {
        return pool(name, x, mode, kernelH, kernelW, strideH, strideW, padding, false);
    }

    /** As above; {@code countPad}: an average divides by the whole window, padding included (PyTorch's default). */
    public Value pool(String name, Value x, Pool2d.Mode mode, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                      boolean countPad) {
        Shape in = check(x);
        int[] p = padding.resolve(in.height(), in.width(), kernelH, kernelW, strideH, strideW);
        PoolWindow window;
        try {
            window = new PoolWindow(kernelH, kernelW, strideH, strideW, p[0], p[1], p[2], p[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        int oh = outSize(name, in.height(), kernelH, strideH, p[0] + p[1]);
        int ow = outSize(name, in.width(), kernelW, strideW, p[2] + p[3]);
        return add(new Node.Pool(name, x.node(), in, new Shape(oh, ow, in.channels()), mode, window, countPad));
    }

    /** Batch normalisation over channels: {@code gamma}, {@code beta}, running mean and variance, one value per channel. */
    public Value batchNorm(String name, Value x, float[] gamma, float[] beta, float[] mean, float[] var, float eps, float momentum) {
        Shape d = check(x);
        for (float[] v : new float[][] {gamma, beta, mean, var}) {
            if (v.length != d.channels()) throw new IllegalArgumentException(name + ": " + v.length + " per-channel values for " + d.channels() + " channels");
        }
        return add(new Node.BatchNorm(name, x.node(), d, gamma.clone(), beta.clone(), mean.clone(), var.clone(), eps, momentum));
    }

    /** Dropout with drop probability p in [0, 1): the identity in inference; training masks from stream = the node's index. */
    public Value dropout(String name, Value x, float p) {
        return dropout(name, x, p, nodes.size());
    }

    /** Dropout whose training masks come from random stream {@code stream}. */
    public Value dropout(String name, Value x, float p, int stream) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException(name + ": dropout p must be within [0, 1), got " + p);
        return add(new Node.Dropout(name, x.node(), check(x), p, stream));
    }

    /** The map as 1x1x(H*W*C) features in NHWC order. */
    public Value flatten(String name, Value x) {
        Shape in = check(x);
        return add(new Node.Flatten(name, x.node(), in, Shape.flat(in.size())));
    }

    /** Mean over height and width: 1x1xC. */
    public Value globalAvgPool(String name, Value x) {
        Shape in = check(x);
        return add(new Node.GlobalAvgPool(name, x.node(), in, new Shape(1, 1, in.channels())));
    }

    /** Channels of {@code xs} one after the other; all must have the same height and width. */
    public Value concat(String name, Value... xs) {
        if (xs.length < 2) throw new IllegalArgumentException(name + ": concat needs at least two inputs");
        Shape first = check(xs[0]);
        List<Integer> ins = new ArrayList<>();
        List<Shape> dims = new ArrayList<>();
        int channels = 0;
        for (Value v : xs) {
            Shape d = check(v);
            if (d.height() != first.height() || d.width() != first.width()) {
                throw new IllegalArgumentException(name + ": cannot concatenate " + d + " with " + first + " (height and width must agree)");
            }
            ins.add(v.node());
            dims.add(d);
            channels += d.channels();
        }
        return add(new Node.Concat(name, ins, dims, new Shape(first.height(), first.width(), channels)));
    }

    /** Softmax over the channels of every pixel. */
    public Value softmax(String name, Value x) {
        return add(new Node.Softmax(name, x.node(), check(x)));
    }

    /** Zero rows/columns on any side and zero channels appended after the existing ones. */
    public Value zeroPad(String name, Value x, ZeroPadNhwc.Pads pads) {
        Shape in = check(x);
        Shape out = new Shape(in.height() + pads.top() + pads.bottom(), in.width() + pads.left() + pads.right(), in.channels() + pads.channels());
        return add(new Node.ZeroPad(name, x.node(), in, out, pads));
    }

    /** y = flatten(x) · W + b, W {@code [in, out]} row-major; flatten is NHWC order, as TensorFlow reshapes. */
    public Value dense(String name, Value x, float[] weights, float[] bias, int outputs) {
        Shape in = check(x);
        if (weights.length != (long) in.size() * outputs) {
            throw new IllegalArgumentException(name + ": " + weights.length + " weights, expected [" + in.size() + "," + outputs + "] for input " + in);
        }
        if (bias != null && bias.length != outputs) throw new IllegalArgumentException(name + ": bias has " + bias.length + " values, expected " + outputs);
        return add(new Node.Dense(name, x.node(), in, new Shape(1, 1, outputs), weights.clone(), bias == null ? null : bias.clone()));
    }

    public Value dense(String name, Value x, DenseWeights w) {
        return dense(name, x, w.weights(), w.bias(), w.out());
    }

    public Graph build(Value... outputs) {
        if (outputs.length == 0) throw new IllegalArgumentException("a graph needs at least one output");
        List<Integer> out = new ArrayList<>();
        for (Value v : outputs) {
            check(v);
            out.add(v.node());
        }
        return new Graph(nodes, out);
    }

    // ---- helpers ----

    private Value add(Node node) {
        for (Node n : nodes) {
            if (n.name().equals(node.name())) throw new IllegalArgumentException("two nodes are named '" + node.name() + "'");
        }
        nodes.add(node);
        return new Value(nodes.size() - 1, node.out());
    }

    private Shape check(Value x) {
        if (nodes.isEmpty()) throw new IllegalStateException("declare the input first");
        if (x.node() < 0 || x.node() >= nodes.size() || !nodes.get(x.node()).out().equals(x.dims())) {
            throw new IllegalArgumentException("value " + x + " does not belong to this graph");
        }
        return x.dims();
    }

    private static void requireChannels(String name, Value x, int channels) {
        if (x.dims().channels() != channels) {
            throw new IllegalArgumentException(name + ": weights take " + channels + " channels, input has " + x.dims());
        }
    }

    private static int outSize(String name, int n, int k, int s, int pads) {
        int span = n + pads - k;
        if (span < 0) throw new IllegalArgumentException(name + ": window " + k + " is larger than the padded input " + (n + pads));
        return span / s + 1;
    }
}
