package dev.clpipe.face.align;

/**
 * The 68 iBUG landmarks of one face in image pixels, interleaved {@code x0, y0, …, x67, y67}
 * (jaw 0–16, brows 17–26, nose 27–35, left eye 36–41, right eye 42–47, mouth 48–67).
 */
public record Landmarks68(float[] xy) {
    public static final int POINTS = 68;

    public Landmarks68 {
        if (xy.length != 2 * POINTS) throw new IllegalArgumentException("68 landmarks need 136 coordinates, got " + xy.length);
    }

    /**
     * FaceLandmark68NetBase.postProcess plus the shift to image pixels (docs/face-models.md §4.4, §7
     * step 2): {@code raw} are the net's 136 outputs for the {@code crop} (centred-padded to a square),
     * {@code boxX, boxY} the unfloored detection box's top-left.
     */
    public static Landmarks68 fromNetOutput(float[] raw, int offset, int inputSize, int cropW, int cropH, double boxX, double boxY) {
        double s = (double) inputSize / Math.max(cropH, cropW), w = cropW * s, h = cropH * s;
        double padX = w < h ? (h - w) / 2 : 0, padY = h < w ? (w - h) / 2 : 0;
        float[] xy = new float[2 * POINTS];
        for (int i = 0; i < 2 * POINTS; i += 2) {
            float relX = (float) ((raw[offset + i] * inputSize - padX) / w);
            float relY = (float) ((raw[offset + i + 1] * inputSize - padY) / h);
            xy[i] = (float) (relX * cropW + boxX);
            xy[i + 1] = (float) (relY * cropH + boxY);
        }
        return new Landmarks68(xy);
    }

    public double x(int i) {
        return xy[2 * i];
    }

    public double y(int i) {
        return xy[2 * i + 1];
    }

    /** Mean of points {@code from} (inclusive) to {@code to} (exclusive), as (x, y). */
    public double[] centre(int from, int to) {
        double sx = 0, sy = 0;
        for (int i = from; i < to; i++) {
            sx += xy[2 * i];
            sy += xy[2 * i + 1];
        }
        return new double[] {sx / (to - from), sy / (to - from)};
    }

    public double[] leftEye() {
        return centre(36, 42);
    }

    public double[] rightEye() {
        return centre(42, 48);
    }

    public double[] mouth() {
        return centre(48, 68);
    }
}
