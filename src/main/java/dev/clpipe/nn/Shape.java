package dev.clpipe.nn;

/** The shape of one sample's activations, height x width x channels (NHWC without the batch). */
public record Shape(int height, int width, int channels) {
    public Shape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("shape dimensions must be >= 1, got " + height + "x" + width + "x" + channels);
        }
    }

    /** Pixels per sample (height x width). */
    public int pixels() {
        return height * width;
    }

    /** A flat vector of {@code features} values (dense layers). */
    public static Shape flat(int features) {
        return new Shape(1, 1, features);
    }

    public int size() {
        return height * width * channels;
    }

    public boolean isFlat() {
        return height == 1 && width == 1;
    }

    @Override
    public String toString() {
        return isFlat() ? Integer.toString(channels) : height + "x" + width + "x" + channels;
    }
}
