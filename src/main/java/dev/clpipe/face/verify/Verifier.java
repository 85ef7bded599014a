package dev.clpipe.face.verify;

/**
 * 1:1 face verification: two embeddings show the same person when their Euclidean distance
 * is below the threshold (face-api.js's 0.6 by default; choose it per data with {@link RocCurve}).
 */
public record Verifier(double threshold) {
    public static final double FACE_API_THRESHOLD = 0.6;

    public Verifier {
        if (!(threshold > 0)) throw new IllegalArgumentException("verification threshold must be > 0, got " + threshold);
    }

    public static Verifier faceApi() {
        return new Verifier(FACE_API_THRESHOLD);
    }

    /** d(a, b) = ||a - b||, accumulated in double. */
    public static double distance(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("embeddings differ in length: " + a.length + " vs " + b.length);
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double t = (double) a[k] - b[k];
            s += t * t;
        }
        return Math.sqrt(s);
    }

    public boolean samePerson(float[] a, float[] b) {
        return distance(a, b) < threshold;
    }
}
