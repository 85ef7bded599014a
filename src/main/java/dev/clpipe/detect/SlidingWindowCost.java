package dev.clpipe.detect;

import java.util.List;
import java.util.Locale;

/**
 * Cost of running a window classifier over an image two ways, in multiply-accumulates (MACs;
 * FLOPs = 2 x MACs): by cropping every window and running the network on each ("sliding
 * windows"), and by running the same network once on the whole image with its fully-connected
 * layers written as convolutions (a {@code k x k} conv over the last {@code k x k} map, then
 * {@code 1 x 1} convs), which yields the class scores of every window at once (OverFeat; the
 * course's "convolutional implementation of sliding windows"). See {@code docs/detection.md}.
 *
 * <p>Layers are unpadded ("valid"). Convolution MACs = {@code outH * outW * outC * k * k * inC}; max
 * pooling costs comparisons, not MACs, and is left out of both sides alike. The window stride is
 * the product of the layer strides, and the image must fit a whole number of such steps.
 */
public final class SlidingWindowCost {
    /** A conv (FC layers expressed as convs) or a max-pool layer. */
    public record Layer(boolean pool, int kernel, int stride, int outChannels) {
        public Layer {
            if (kernel < 1 || stride < 1 || !pool && outChannels < 1) {
                throw new IllegalArgumentException("layer needs kernel, stride and (for conv) channels >= 1");
            }
        }

        public static Layer conv(int kernel, int outChannels) {
            return new Layer(false, kernel, 1, outChannels);
        }

        public static Layer maxPool(int kernel, int stride) {
            return new Layer(true, kernel, stride, 0);
        }
    }

    /**
     * @param windowsX windows per row (= columns of the convolutional output)
     * @param windowsY windows per column (= rows of the convolutional output)
     * @param stride window step in pixels
     * @param macsPerWindow one run of the network on one window
     * @param slidingMacs {@code windowsX * windowsY * macsPerWindow}
     * @param convolutionalMacs one run on the whole image
     */
    public record Comparison(int windowsX, int windowsY, int stride, long macsPerWindow, long slidingMacs,
                             long convolutionalMacs) {
        public double speedup() {
            return (double) slidingMacs / convolutionalMacs;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%dx%d windows (stride %d): sliding %,d MACs (%,d per window), "
                    + "convolutional %,d MACs, %.2fx fewer", windowsX, windowsY, stride, slidingMacs, macsPerWindow,
                    convolutionalMacs, speedup());
        }
    }

    private SlidingWindowCost() {
    }

    /**
     * @param net the window classifier; on a {@code window x window} input it must end in a 1x1 map
     * @param inChannels input channels (3 for RGB)
     */
    public static Comparison compare(List<Layer> net, int inChannels, int window, int imageW, int imageH) {
        long[] perWindow = run(net, inChannels, window, window);
        if (perWindow[0] != 1 || perWindow[1] != 1) {
            throw new IllegalArgumentException("the network must map a " + window + "x" + window + " window to 1x1, got "
                    + perWindow[1] + "x" + perWindow[0]);
        }
        int stride = 1;
        for (Layer l : net) {
            stride *= l.stride();
        }
        if (imageW < window || imageH < window || (imageW - window) % stride != 0 || (imageH - window) % stride != 0) {
            throw new IllegalArgumentException("image " + imageW + "x" + imageH + " must be the window " + window
                    + " plus a multiple of the network stride " + stride);
        }
        int wx = (imageW - window) / stride + 1;
        int wy = (imageH - window) / stride + 1;
        long[] whole = run(net, inChannels, imageH, imageW);
        if (whole[0] != wy || whole[1] != wx) {
            throw new IllegalStateException("convolutional output " + whole[1] + "x" + whole[0] + " != windows " + wx + "x" + wy);
        }
        return new Comparison(wx, wy, stride, perWindow[2], wx * wy * perWindow[2], whole[2]);
    }

    /** {outH, outW, MACs} of the network on an {@code h x w} input. */
    static long[] run(List<Layer> net, int inChannels, int h, int w) {
        long macs = 0;
        int c = inChannels;
        for (Layer l : net) {
            int oh = (h - l.kernel()) / l.stride() + 1;
            int ow = (w - l.kernel()) / l.stride() + 1;
            if (h < l.kernel() || w < l.kernel()) {
                throw new IllegalArgumentException("input " + w + "x" + h + " is smaller than a " + l.kernel() + "x" + l.kernel() + " layer");
            }
            if (!l.pool()) {
                macs += (long) oh * ow * l.outChannels() * l.kernel() * l.kernel() * c;
                c = l.outChannels();
            }
            h = oh;
            w = ow;
        }
        return new long[] {h, w, macs};
    }

    /** The course's 14x14x3 classifier: conv5x5x16, maxpool 2, FC400 (conv5x5), FC400 (conv1x1), softmax 4 (conv1x1). */
    public static List<Layer> courseNetwork() {
        return List.of(Layer.conv(5, 16), Layer.maxPool(2, 2), Layer.conv(5, 400), Layer.conv(1, 400), Layer.conv(1, 4));
    }

    /** Prints the examples of docs/detection.md. */
    public static void main(String[] args) {
        System.out.println("course 14x14 classifier on 16x16: " + compare(courseNetwork(), 3, 14, 16, 16));
        System.out.println("course 14x14 classifier on 28x28: " + compare(courseNetwork(), 3, 14, 28, 28));
        System.out.println("deeper 32x32 classifier on 64x64: " + compare(deeperNetwork(), 3, 32, 64, 64));
    }

    /** A classifier with a deeper conv trunk (32 -> 30 -> 28 -> 14 -> 12 -> 10 -> 5 -> 1). */
    public static List<Layer> deeperNetwork() {
        return List.of(Layer.conv(3, 32), Layer.conv(3, 32), Layer.maxPool(2, 2), Layer.conv(3, 64), Layer.conv(3, 64),
                Layer.maxPool(2, 2), Layer.conv(5, 256), Layer.conv(1, 256), Layer.conv(1, 4));
    }
}
