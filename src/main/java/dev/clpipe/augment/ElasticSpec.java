package dev.clpipe.augment;

/**
 * Local (elastic) warping after Simard et al. 2003: a per-pixel random displacement field,
 * uniform in [-1, 1], smoothed by a Gaussian of standard deviation {@code sigma} pixels and
 * scaled by {@code alpha} pixels. Runs after the fused pass, on the output-sized image.
 */
public record ElasticSpec(double probability, double alpha, double sigma) implements OpSpec {
    public ElasticSpec {
        Checks.probability("elastic.probability", probability);
        Checks.within("elastic.alpha", alpha, 0, 1000);
        Checks.within("elastic.sigma", sigma, 0.5, 16);
    }

    /** Half-width of the Gaussian window: 3 sigma covers 99.7% of its weight. */
    int radius() {
        return (int) Math.ceil(3 * sigma);
    }

    @Override
    public String name() {
        return "elastic";
    }
}
