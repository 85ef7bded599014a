package dev.clpipe.nn.graph;

/**
 * Spatial padding of a convolution or pooling window. {@link #SAME} is TensorFlow's: output
 * {@code ceil(n / stride)}, total padding {@code max(0, (out - 1) * stride + k - n)} split
 * {@code floor(total / 2)} before and the rest after, so an odd total puts the extra row or
 * column at the bottom/right. {@link #VALID} pads nothing. {@link #explicit} pads given amounts.
 */
public record Padding(Mode mode, int top, int bottom, int left, int right) {
    public enum Mode { SAME, VALID, EXPLICIT }

    public static final Padding SAME = new Padding(Mode.SAME, 0, 0, 0, 0);
    public static final Padding VALID = new Padding(Mode.VALID, 0, 0, 0, 0);

    public Padding {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) throw new IllegalArgumentException("padding must be >= 0");
    }

    public static Padding explicit(int top, int bottom, int left, int right) {
        return new Padding(Mode.EXPLICIT, top, bottom, left, right);
    }

    public static Padding explicit(int all) {
        return explicit(all, all, all, all);
    }

    /** {before, after} along one axis of size {@code n} for window {@code k} and stride {@code s}. */
    int[] along(int n, int k, int s, boolean vertical) {
        return switch (mode) {
            case VALID -> new int[] {0, 0};
            case EXPLICIT -> vertical ? new int[] {top, bottom} : new int[] {left, right};
            case SAME -> {
                int out = (n + s - 1) / s;
                int total = Math.max(0, (out - 1) * s + k - n);
                yield new int[] {total / 2, total - total / 2};
            }
        };
    }

    /** {top, bottom, left, right} for an {@code h x w} input. */
    int[] resolve(int h, int w, int kh, int kw, int sh, int sw) {
        int[] v = along(h, kh, sh, true), hz = along(w, kw, sw, false);
        return new int[] {v[0], v[1], hz[0], hz[1]};
    }

    @Override
    public String toString() {
        return mode == Mode.EXPLICIT ? "pad(" + top + "," + bottom + "," + left + "," + right + ")" : mode.name().toLowerCase();
    }
}
