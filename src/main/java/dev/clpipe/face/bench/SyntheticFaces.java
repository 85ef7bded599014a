package dev.clpipe.face.bench;

import dev.clpipe.face.search.Embeddings;
import java.util.SplittableRandom;

/**
 * Synthetic 128-D face descriptors shaped like face-api.js / dlib ones: not normalised, a
 * shared mean (norm ~0.8, so |x| ~ 1.1), identity centres spread so that different people sit
 * at ~0.7-1.1, and per-identity Gaussian noise so that two photos of one person sit at
 * ~0.35-0.5. A fraction of identities are "lookalikes": derived from another identity's centre
 * with a small offset, so their cross distances fall around 0.45-0.65 (the family-photo case).
 * Identity sizes are log-normal (median {@code medianSize}, capped at 200): a few people
 * appear often, many appear once or twice, as in a photo folder.
 *
 * <p>Geometry: for per-coordinate standard deviation s, the distance between two independent
 * draws in 128-D is about s * sqrt(2 * 128) = 16 s.
 */
public record SyntheticFaces(Embeddings embeddings, int[] identity, int identities) {

    /** Knobs of the generator; {@link #realistic()} gives the defaults the benchmark uses. */
    public record Spec(int dim, double medianSize, double centreSd, double noiseSd, double lookalikeFraction,
                       double lookalikeSd) {
        public Spec {
            if (dim < 2) throw new IllegalArgumentException("dim must be >= 2, got " + dim);
            if (medianSize < 1) throw new IllegalArgumentException("medianSize must be >= 1, got " + medianSize);
            if (lookalikeFraction < 0 || lookalikeFraction > 1) {
                throw new IllegalArgumentException("lookalikeFraction must be within [0, 1], got " + lookalikeFraction);
            }
        }

        /** A photo folder: intra ~0.42 (0.35-0.5 across identities), inter ~0.9, 15% lookalikes at ~0.55. */
        public static Spec realistic() {
            return new Spec(128, 5, 0.052, 0.026, 0.15, 0.026);
        }

        /**
         * On the scale of face-api's mirror-averaged descriptors of the identity set
         * (docs/face-clustering.md): one photo of a person to another median ~0.33, different
         * people median ~0.53, 15 % look-alikes at ~0.42; median 5 photos per person. The
         * clustering defaults (threshold 0.34) apply to it as they do to real descriptors.
         */
        public static Spec faceApi() {
            return new Spec(128, 5, 0.0259, 0.0206, 0.15, 0.023);
        }

        /**
         * One event of similar-looking people (the group photo): identity centres so
         * close that about 40% of different-person pairs sit below 0.6; median 20 photos each.
         */
        public static Spec event() {
            return new Spec(128, 20, 0.028, 0.026, 0.0, 0.026);
        }
    }

    public static SyntheticFaces generate(int n, long seed) {
        return generate(n, seed, Spec.realistic());
    }

    public static SyntheticFaces generate(int n, long seed, Spec spec) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = spec.dim();
        float[] mean = new float[d];
        for (int k = 0; k < d; k++) mean[k] = (float) (rnd.nextGaussian() * 0.8 / Math.sqrt(d));
        Embeddings e = new Embeddings(d, n);
        int[] id = new int[n];
        float[] centre = new float[d];
        float[] previous = null;
        float[] v = new float[d];
        int ids = 0;
        int i = 0;
        while (i < n) {
            boolean lookalike = previous != null && rnd.nextDouble() < spec.lookalikeFraction();
            for (int k = 0; k < d; k++) {
                double base = lookalike ? previous[k] : mean[k] + rnd.nextGaussian() * spec.centreSd();
                centre[k] = (float) (base + (lookalike ? rnd.nextGaussian() * spec.lookalikeSd() : 0));
            }
            double noise = spec.noiseSd() * (0.8 + 0.4 * rnd.nextDouble());
            int size = (int) Math.min(200, Math.max(1, Math.round(spec.medianSize() * Math.exp(rnd.nextGaussian()))));
            for (int s = 0; s < size && i < n; s++, i++) {
                // most photos are easy; a few (pose, blur, age) sit far out: cubed uniform tail
                double u = rnd.nextDouble();
                double scale = noise * (0.85 + 0.55 * u * u * u);
                for (int k = 0; k < d; k++) v[k] = (float) (centre[k] + rnd.nextGaussian() * scale);
                e.add(v);
                id[i] = ids;
            }
            ids++;
            previous = centre.clone();
        }
        return new SyntheticFaces(e, id, ids);
    }
}
