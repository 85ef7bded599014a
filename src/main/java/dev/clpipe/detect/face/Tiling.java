package dev.clpipe.detect.face;

import java.util.ArrayList;
import java.util.List;

/**
 * Tiled, multi-scale inference for photos whose faces are far smaller than the net input at
 * whole-image scale (a 1280-px group photo letterboxed to 416 leaves ~10-px faces; the tiny
 * detector's smallest anchor is ~50 px). For each {@code scale} the image is covered by
 * overlapping square tiles of {@code inputSize / scale} image pixels, so each tile reaches the
 * net at {@code scale} times its pixel size; {@code whole} also runs the usual whole-image pass.
 * All candidates of an image then go through one cross-tile NMS.
 *
 * @param scales  net pixels per image pixel for the tiled passes; empty = no tiling
 * @param overlap fraction of a tile shared with its neighbour, in [0, 0.9]
 * @param whole   also run the whole image, letterboxed (face-api's own pass)
 */
public record Tiling(List<Double> scales, double overlap, boolean whole) {
    /** face-api's behaviour: one whole-image pass. */
    public static final Tiling OFF = new Tiling(List.of(), 0.25, true);

    public Tiling {
        scales = List.copyOf(scales);
        for (double s : scales) if (!(s > 0 && s <= 16)) throw new IllegalArgumentException("tiling scale must be within (0, 16], got " + s);
        if (!(overlap >= 0 && overlap <= 0.9)) throw new IllegalArgumentException("tiling overlap must be within [0, 0.9], got " + overlap);
        if (scales.isEmpty() && !whole) throw new IllegalArgumentException("tiling without scales must keep the whole-image pass");
    }

    public boolean enabled() {
        return !scales.isEmpty();
    }

    /** The crops of a {@code width x height} image for a net of {@code inputSize}. */
    public List<Crop> crops(int width, int height, int inputSize) {
        List<Crop> crops = new ArrayList<>();
        if (whole) crops.add(Crop.whole(width, height));
        for (double scale : scales) {
            int side = (int) Math.round(inputSize / scale);
            if (side >= Math.max(width, height)) {
                if (!whole) crops.add(Crop.whole(width, height)); // one tile would cover everything
                continue;
            }
            int[] xs = starts(width, side), ys = starts(height, side);
            for (int j = 0; j < ys.length; j++) {
                for (int i = 0; i < xs.length; i++) {
                    crops.add(new Crop(xs[i], ys[j], Math.min(side, width), Math.min(side, height),
                            coreStart(xs, i, side), coreStart(ys, j, side), coreEnd(xs, i, side), coreEnd(ys, j, side)));
                }
            }
        }
        return crops;
    }

    /** Evenly spread tile origins along an axis of {@code n} pixels, neighbours overlapping by at least {@code overlap}. */
    private int[] starts(int n, int side) {
        if (side >= n) return new int[] {0};
        double step = Math.max(1, side * (1 - overlap));
        int count = (int) Math.ceil((n - side) / step) + 1;
        int[] s = new int[count];
        for (int i = 0; i < count; i++) s[i] = (int) Math.round((double) i * (n - side) / (count - 1));
        return s;
    }

    /** Cores split each overlap in its middle; the outer tiles' cores reach infinity. */
    private static double coreStart(int[] starts, int i, int side) {
        return i == 0 ? Double.NEGATIVE_INFINITY : (starts[i] + starts[i - 1] + side) / 2.0;
    }

    private static double coreEnd(int[] starts, int i, int side) {
        return i == starts.length - 1 ? Double.POSITIVE_INFINITY : (starts[i + 1] + starts[i] + side) / 2.0;
    }
}
