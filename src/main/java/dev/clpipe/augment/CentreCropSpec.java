package dev.clpipe.augment;

/**
 * The deterministic view for evaluation: the output-sized box at the centre of the source (corner
 * at whole pixels, so a source at least as large as the output is copied exactly), resized only
 * along a side where the source is smaller than the output. Draws nothing.
 */
public record CentreCropSpec() implements OpSpec {
    @Override
    public String name() {
        return "centre_crop";
    }
}
