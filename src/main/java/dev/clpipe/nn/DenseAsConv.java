package dev.clpipe.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a window classifier's fully-connected layers as convolutions (OverFeat; the course's
 * "convolutional implementation of sliding windows"): the first dense layer, which reads a
 * {@code k x k x C} map flattened in HWC order, becomes a {@code k x k} conv with {@code units}
 * filters; every later dense layer becomes a {@code 1 x 1} conv; {@code flatten} disappears. On
 * a larger input the converted model yields, at output position (i, j), exactly the scores the
 * original gives for the window at ({@code i * stride}, {@code j * stride}), with
 * {@code stride} = {@link #windowStride}. Layer names are kept, so parameters match by name;
 * {@link #copyWeights} reshapes dense weights {@code [units][k*k*C]} to HWIO
 * {@code [k][k][C][units]}.
 */
public final class DenseAsConv {
    private DenseAsConv() {}

    /** The converted model for {@code input} (larger than the window the classifier was built for). */
    public static ModelSpec convert(ModelSpec window, Shape input) {
        List<LayerSpec> layers = new ArrayList<>();
        boolean dense = false;
        for (int i = 0; i < window.layers().size(); i++) {
            LayerSpec l = window.layers().get(i);
            Shape in = window.inputOf(i);
            if (l instanceof LayerSpec.Flatten) {
                continue;
            }
            if (l instanceof LayerSpec.Dense d) {
                Shape map = dense ? in : spatialInput(window, i);
                if (map.height() != map.width()) {
                    throw new IllegalArgumentException("dense layer '" + d.name() + "' reads a " + map + " map; only square maps become a square conv");
                }
                layers.add(new LayerSpec.Conv(d.name(), d.units(), dense ? 1 : map.height(), 1, 0));
                dense = true;
                continue;
            }
            if (!dense && !(l instanceof LayerSpec.Conv || l instanceof LayerSpec.Pool || l instanceof LayerSpec.Act || l instanceof LayerSpec.BatchNorm)) {
                throw new IllegalArgumentException("layer '" + l.name() + "' (" + l.describe() + ") cannot slide over a larger input");
            }
            if (dense && !(l instanceof LayerSpec.Act || l instanceof LayerSpec.Dropout || l instanceof LayerSpec.BatchNorm)) {
                throw new IllegalArgumentException("layer '" + l.name() + "' (" + l.describe() + ") after a dense layer has no convolutional form here");
            }
            if (l instanceof LayerSpec.Conv c && c.pad() > 0 || l instanceof LayerSpec.Pool p && p.pad() > 0) {
                throw new IllegalArgumentException("layer '" + l.name() + "' is padded: a window's border would differ from the same pixels inside a larger image");
            }
            layers.add(l);
        }
        if (!dense) {
            throw new IllegalArgumentException("model " + window.name() + " has no dense layer to convert");
        }
        return ModelSpec.of(window.name() + "-as-conv", input, layers);
    }

    /** The input of dense layer {@code i} as a map: the shape before the flatten that precedes it (if any). */
    private static Shape spatialInput(ModelSpec window, int i) {
        int j = i;
        while (j > 0 && window.layers().get(j - 1) instanceof LayerSpec.Flatten) j--;
        return window.inputOf(j);
    }

    /** Pixels between neighbouring windows: the product of the strides before the first dense layer. */
    public static int windowStride(ModelSpec window) {
        int stride = 1;
        for (LayerSpec l : window.layers()) {
            if (l instanceof LayerSpec.Dense) break;
            if (l instanceof LayerSpec.Conv c) stride *= c.stride();
            if (l instanceof LayerSpec.Pool p) stride *= p.stride();
        }
        return stride;
    }

    /**
     * Dense weights {@code [units][kh*kw*C]} (input flattened HWC) as conv weights HWIO
     * {@code [kh][kw][C][units]}: {@code conv[((y*kw + x)*C + c)*units + o] = dense[o*kh*kw*C + (y*kw + x)*C + c]}.
     */
    public static float[] denseToConvWeight(float[] dense, int units, int kh, int kw, int channels) {
        int in = kh * kw * channels;
        if (dense.length != units * in) {
            throw new IllegalArgumentException("dense weight has " + dense.length + " values, [" + units + "][" + in + "] needs " + units * in);
        }
        float[] conv = new float[dense.length];
        for (int o = 0; o < units; o++) {
            for (int p = 0; p < in; p++) {
                conv[p * units + o] = dense[o * in + p];
            }
        }
        return conv;
    }

    /** Copies every parameter of {@code from} (the window classifier) into {@code to} (its converted form), reshaping dense weights. */
    public static void copyWeights(Network from, Network to) {
        var queue = from.context().queue();
        Map<String, Param> source = new HashMap<>();
        for (Param p : from.params()) source.put(p.name(), p);
        for (Param p : to.params()) {
            Param s = source.get(p.name());
            if (s == null || s.size() != p.size()) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' of " + to.spec().name() + " has no counterpart of " + p.size() + " values");
            }
            float[] values = s.value().readFloats(queue);
            int[] shape = p.shape();
            if (s.shape().length == 2 && shape.length == 4) {
                values = denseToConvWeight(values, shape[3], shape[0], shape[1], shape[2]);
            }
            p.value().write(to.context().queue(), values);
        }
    }
}
