package dev.clpipe.detect.scenes;

import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.Box;
import dev.clpipe.nn.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes detection scenes from MNIST digits: a black canvas of random size with 1..N digits, each
 * scaled (bilinear) to a random side and put at a random position, drawn with max() so strokes
 * never erase each other. A digit's box is the bounding box of its own scaled pixels at or above
 * the ink threshold (the digit's ink, not its 28x28 frame); a placement whose box overlaps an
 * earlier one by more than {@code maxOverlap} IoU is redrawn (up to {@link #TRIES} times, then
 * the digit is left out). Scene i is a pure function of (seed, i) — see {@link SceneRng}.
 */
public final class DigitSceneGenerator {
    static final int TRIES = 30;
    /** Test scenes are drawn under the seed {@code seed ^ TEST_SEED_SALT} (and from test digits), so they never repeat a training scene. */
    public static final long TEST_SEED_SALT = 0x7E57_5CE4EL;

    private final Dataset digits;
    private final SceneSpec spec;
    private final long seed;

    /** {@code digits}: 28x28x1 MNIST-style images with labels 0..9 (train digits for train scenes, test digits for test scenes). */
    public DigitSceneGenerator(Dataset digits, SceneSpec spec, long seed) {
        if (digits.shape().channels() != 1) {
            throw new IllegalArgumentException(digits.name() + ": scenes need grey digits, got " + digits.shape());
        }
        this.digits = digits;
        this.spec = spec;
        this.seed = seed;
    }

    public SceneSpec spec() {
        return spec;
    }

    public Scene scene(int index) {
        SceneRng rng = new SceneRng(seed, 0, index);
        int w = rng.between(spec.canvasMin(), spec.canvasMax());
        int h = rng.between(spec.canvasMin(), spec.canvasMax());
        byte[] canvas = new byte[w * h];
        int count = rng.between(spec.digitsMin(), spec.digitsMax());
        List<Annotation> objects = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            int source = rng.between(0, digits.count() - 1);
            int side = rng.between(spec.scaleMin(), spec.scaleMax());
            int[] scaled = scale(source, side);
            int[] ink = inkBounds(scaled, side);
            if (ink == null) {
                continue; // an empty digit image: nothing to detect
            }
            for (int t = 0; t < TRIES; t++) {
                int x = rng.between(0, w - side);
                int y = rng.between(0, h - side);
                Box box = new Box(x + ink[0], y + ink[1], x + ink[2], y + ink[3]);
                if (fits(box, objects)) {
                    draw(canvas, w, scaled, side, x, y);
                    objects.add(new Annotation(Integer.toString(digits.labels()[source]), box));
                    break;
                }
            }
        }
        return new Scene(index, w, h, canvas, objects);
    }

    private boolean fits(Box box, List<Annotation> placed) {
        for (Annotation a : placed) {
            if (a.box().iou(box) > spec.maxOverlap()) {
                return false;
            }
        }
        return true;
    }

    /** Digit {@code source} resized to {@code side x side}, bilinear with pixel centres aligned. */
    int[] scale(int source, int side) {
        int sw = digits.shape().width();
        int sh = digits.shape().height();
        byte[] im = digits.images();
        int base = source * sw * sh;
        int[] out = new int[side * side];
        for (int y = 0; y < side; y++) {
            double fy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sh / side - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(sh - 1, y0 + 1);
            double wy = fy - y0;
            for (int x = 0; x < side; x++) {
                double fx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sw / side - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(sw - 1, x0 + 1);
                double wx = fx - x0;
                double top = (im[base + y0 * sw + x0] & 0xFF) * (1 - wx) + (im[base + y0 * sw + x1] & 0xFF) * wx;
                double bottom = (im[base + y1 * sw + x0] & 0xFF) * (1 - wx) + (im[base + y1 * sw + x1] & 0xFF) * wx;
                out[y * side + x] = (int) Math.round(top * (1 - wy) + bottom * wy);
            }
        }
        return out;
    }

    /** {x1, y1, x2, y2} (x2, y2 exclusive) of the pixels at or above the ink threshold, or null if none. */
    int[] inkBounds(int[] scaled, int side) {
        int x1 = side, y1 = side, x2 = -1, y2 = -1;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (scaled[y * side + x] >= spec.inkThreshold()) {
                    x1 = Math.min(x1, x);
                    y1 = Math.min(y1, y);
                    x2 = Math.max(x2, x);
                    y2 = Math.max(y2, y);
                }
            }
        }
        return x2 < 0 ? null : new int[] {x1, y1, x2 + 1, y2 + 1};
    }

    private static void draw(byte[] canvas, int w, int[] scaled, int side, int x0, int y0) {
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int i = (y0 + y) * w + x0 + x;
                canvas[i] = (byte) Math.max(canvas[i] & 0xFF, scaled[y * side + x]);
            }
        }
    }
}
