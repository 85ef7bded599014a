package dev.clpipe.style;

/** A layer whose Gram matrix enters the style cost, with its weight lambda_l. */
public record StyleLayer(String layer, double weight) {
    public StyleLayer {
        if (layer == null || layer.isBlank()) throw new IllegalArgumentException("style layer name must not be empty");
        if (!(weight >= 0) || Double.isInfinite(weight)) throw new IllegalArgumentException("style layer " + layer + ": weight must be >= 0, got " + weight);
    }
}
