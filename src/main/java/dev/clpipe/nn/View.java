package dev.clpipe.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * One test-time augmentation view: the image mirrored left-right (optional), then shifted by
 * (dx, dy) pixels with edge padding; see {@code opencl/views.cl} for the exact sampling rule.
 */
public record View(int dx, int dy, boolean mirror) {
    public static final View IDENTITY = new View(0, 0, false);

    /**
     * The views of a TTA setting: {@code crops} 1 (the image), 5 (the image and four shifts by
     * {@code shift} pixels: left, right, up, down) or 9 (all eight neighbours too); with
     * {@code mirror} each view also mirrored.
     */
    public static List<View> of(int crops, int shift, boolean mirror) {
        if (crops != 1 && crops != 5 && crops != 9) throw new IllegalArgumentException("crops must be 1, 5 or 9, got " + crops);
        if (shift < 0) throw new IllegalArgumentException("shift must be >= 0, got " + shift);
        List<int[]> offsets = new ArrayList<>();
        offsets.add(new int[] {0, 0});
        if (crops >= 5) {
            offsets.addAll(List.of(new int[] {-shift, 0}, new int[] {shift, 0}, new int[] {0, -shift}, new int[] {0, shift}));
        }
        if (crops == 9) {
            offsets.addAll(List.of(new int[] {-shift, -shift}, new int[] {shift, -shift}, new int[] {-shift, shift}, new int[] {shift, shift}));
        }
        List<View> views = new ArrayList<>();
        for (boolean m : mirror ? new boolean[] {false, true} : new boolean[] {false}) {
            for (int[] o : offsets) views.add(new View(o[0], o[1], m));
        }
        return List.copyOf(views);
    }

    public boolean isIdentity() {
        return equals(IDENTITY);
    }

    /** Plain-Java twin of the {@code shift_mirror} kernel over an NHWC batch [n][h][w][c]. */
    public float[] applyReference(float[] in, int n, int h, int w, int c) {
        float[] out = new float[in.length];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sx = Math.min(w - 1, Math.max(0, (mirror ? w - 1 - x : x) + dx));
                    int sy = Math.min(h - 1, Math.max(0, y + dy));
                    for (int k = 0; k < c; k++) out[((b * h + y) * w + x) * c + k] = in[((b * h + sy) * w + sx) * c + k];
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return (mirror ? "mirror+" : "") + "shift(" + dx + "," + dy + ")";
    }
}
