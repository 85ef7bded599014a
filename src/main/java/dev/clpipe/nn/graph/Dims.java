package dev.clpipe.nn.graph;

/** Height, width and channels of one sample's NHWC activation (the batch axis is chosen at run time). */
public record Dims(int height, int width, int channels) {
    public Dims {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("activation sizes must be >= 1, got " + height + "x" + width + "x" + channels);
        }
    }

    /** Floats per sample. */
    public int size() {
        return height * width * channels;
    }

    public int pixels() {
        return height * width;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
