package dev.clpipe.nn.graph;

import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.ConvTransposeWindow;
import dev.clpipe.nn.ops.Pool2d;
import dev.clpipe.nn.ops.PoolWindow;
import dev.clpipe.nn.ops.Upsample;
import dev.clpipe.nn.ops.ZeroPadNhwc;
import java.util.List;

/**
 * One operation of a {@link Graph}: its name (for errors and per-node profiles), the indices of
 * the nodes it reads, and the per-sample dims it produces. Every activation is NHWC.
 */
public sealed interface Node {
    String name();

    List<Integer> inputs();

    Shape out();

    /** Multiply-adds x 2 per sample (0 for data movement and element-wise nodes). */
    default double flops() {
        return 0;
    }

    /** The batch's NHWC input. */
    record Input(String name, Shape out) implements Node {
        public List<Integer> inputs() {
            return List.of();
        }
    }

    /**
     * Convolution: weights HWIO {@code [kh][kw][in/groups][out]} (depthwise with groups = in = out
     * is TensorFlow's {@code [kh][kw][C][1]} order), bias {@code [out]} or null, pads
     * {top, bottom, left, right}.
     */
    record Conv(String name, int input, Shape in, Shape out, int kernelH, int kernelW, int strideH, int strideW,
                int[] pads, int groups, float[] weights, float[] bias) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }

        @Override
        public double flops() {
            return 2.0 * out.size() * kernelH * kernelW * (in.channels() / groups);
        }
    }

    /** Transposed convolution (groups 1; inference only): weights {@code [kh][kw][in][out]}, bias {@code [out]} (zeros when absent). */
    record ConvTranspose(String name, int input, Shape in, Shape out, ConvTransposeWindow window, float[] weights, float[] bias) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }

        @Override
        public double flops() {
            return 2.0 * in.size() * window.kernelH() * window.kernelW() * out.channels();
        }
    }

    /**
     * Nearest (floor of the source coordinate) or bilinear (half-pixel centres) resizing to
     * {@code out}'s height and width; {@code stepH}/{@code stepW} are source pixels per output
     * pixel (1 / ONNX scale, or in / out for a given size). Inference only.
     */
    record Resize(String name, int input, Shape in, Shape out, Upsample.Mode mode, float stepH, float stepW) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }
    }

    /** y = (x - sub[c]) * mul[c] + add[c]: input normalisation, scale layers, folded batch norm. */
    record Affine(String name, int input, Shape out, float[] sub, float[] mul, float[] add) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }
    }

    /** relu, relu6, leaky relu ({@code slope} for x < 0), sigmoid, tanh. */
    record Act(String name, int input, Shape out, Activation.Kind kind, float slope) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }
    }

    /**
     * Max or average pooling; max ignores padding, average divides by the real pixels only
     * (TensorFlow, ONNX's default) or, with {@code countPad}, by the whole window (PyTorch, the zoo).
     */
    record Pool(String name, int input, Shape in, Shape out, Pool2d.Mode mode, PoolWindow window, boolean countPad) implements Node {
        public Pool(String name, int input, Shape in, Shape out, Pool2d.Mode mode, PoolWindow window) {
            this(name, input, in, out, mode, window, false);
        }

        public List<Integer> inputs() {
            return List.of(input);
        }
    }

    /**
     * Batch normalisation over channels with its parameters {@code gamma} (scale), {@code beta}
     * (shift) and running statistics (PyTorch semantics: inference normalises with the running
     * mean and variance; training uses the batch's and updates the running ones with {@code momentum}).
     */
    record BatchNorm(String name, int input, Shape out, float[] gamma, float[] beta, float[] mean, float[] var, float eps,
                     float momentum) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }
    }

    /**
     * Inverted dropout with drop probability {@code p}: the identity in inference. Training draws
     * its masks from random stream {@code stream} (distinct per node, stable across runs, so a
     * resumed run draws the same masks).
     */
    record Dropout(String name, int input, Shape out, float p, int stream) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }
    }

    /** An NHWC map read as 1x1x(H*W*C) features: the same floats, so the identity on the device. */
    record Flatten(String name, int input, Shape in, Shape out) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }
    }

    /** Sum of two or more activations of equal dims. */
    record Sum(String name, List<Integer> inputs, Shape out) implements Node {}

    /** y = flatten(x) · W + b with W {@code [in, out]} row-major (tf.matMul), bias or null; out is 1x1xK. */
    record Dense(String name, int input, Shape in, Shape out, float[] weights, float[] bias) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }

        @Override
        public double flops() {
            return 2.0 * in.size() * out.channels();
        }
    }

    /** Mean over height and width: 1x1xC. */
    record GlobalAvgPool(String name, int input, Shape in, Shape out) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }
    }

    /** Channel concatenation of activations that agree in height and width (Inception, ONNX Concat on axis 1). */
    record Concat(String name, List<Integer> inputs, List<Shape> ins, Shape out) implements Node {}

    /** Softmax over the channels of every pixel (ONNX Softmax on axis 1 of a map, or on the features of [N, F]). */
    record Softmax(String name, int input, Shape out) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }
    }

    /** Zero rows/columns around the map and zero channels after the existing ones. */
    record ZeroPad(String name, int input, Shape in, Shape out, ZeroPadNhwc.Pads pads) implements Node {
        public List<Integer> inputs() {
            return List.of(input);
        }
    }
}
