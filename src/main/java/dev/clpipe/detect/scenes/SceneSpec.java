package dev.clpipe.detect.scenes;

/**
 * What a generated digit scene looks like.
 *
 * @param canvasMin smallest canvas side in pixels (each side drawn independently)
 * @param canvasMax largest canvas side; also the side of the square frame scenes are padded into
 * @param digitsMin fewest digits placed per scene (at least 1)
 * @param digitsMax most digits placed per scene
 * @param scaleMin smallest side a 28x28 MNIST digit is scaled to
 * @param scaleMax largest side a digit is scaled to (at most {@code canvasMin})
 * @param maxOverlap a digit whose ink box has an IoU above this with an earlier one is redrawn elsewhere
 * @param inkThreshold grey level (0..255) from which a pixel counts as ink for the box
 */
public record SceneSpec(int canvasMin, int canvasMax, int digitsMin, int digitsMax, int scaleMin, int scaleMax,
                        double maxOverlap, int inkThreshold) {
    /** 96..128 px canvases, 1..5 digits of 14..40 px, IoU <= 0.1, ink from grey 64. */
    public static final SceneSpec DEFAULT = new SceneSpec(96, 128, 1, 5, 14, 40, 0.1, 64);

    public SceneSpec {
        if (canvasMin < 8 || canvasMax < canvasMin) {
            throw new IllegalArgumentException("scenes.canvas must be [min, max] with 8 <= min <= max, got [" + canvasMin + ", " + canvasMax + "]");
        }
        if (digitsMin < 1 || digitsMax < digitsMin) {
            throw new IllegalArgumentException("scenes.digits must be [min, max] with 1 <= min <= max, got [" + digitsMin + ", " + digitsMax + "]");
        }
        if (scaleMin < 4 || scaleMax < scaleMin || scaleMax > canvasMin) {
            throw new IllegalArgumentException("scenes.scale must be [min, max] with 4 <= min <= max <= canvas min " + canvasMin
                    + ", got [" + scaleMin + ", " + scaleMax + "]");
        }
        if (!(maxOverlap >= 0 && maxOverlap <= 1)) {
            throw new IllegalArgumentException("scenes.max_overlap must be within [0, 1], got " + maxOverlap);
        }
        if (inkThreshold < 1 || inkThreshold > 255) {
            throw new IllegalArgumentException("scenes.ink_threshold must be within [1, 255], got " + inkThreshold);
        }
    }

    /** Side of the square frame every scene is padded into (the detector's input). */
    public int frame() {
        return canvasMax;
    }
}
