package dev.clpipe.data;

/**
 * The fixed shape every cached sample is converted to: height x width x channels bytes (HWC),
 * channels 1 (grey, BT.601 luma), 3 (RGB; alpha dropped) or 4 (RGBA); other sizes are resized
 * bilinearly (pixel centres aligned, whole image stretched to the shape).
 */
public record SampleFormat(int height, int width, int channels) {
    public SampleFormat {
        if (height < 1 || width < 1) throw new IllegalArgumentException("sample size must be positive, got " + height + "x" + width);
        if (channels != 1 && channels != 3 && channels != 4) throw new IllegalArgumentException("channels must be 1, 3 or 4, got " + channels);
    }

    public int bytes() {
        return height * width * channels;
    }

    /** {@code image} converted to this format. */
    public ImageData fit(ImageData image) {
        ImageData c = image.withChannels(channels);
        return c.width() == width && c.height() == height ? c : resize(c);
    }

    private ImageData resize(ImageData in) {
        byte[] out = new byte[bytes()];
        float sy = in.height() / (float) height, sx = in.width() / (float) width;
        for (int y = 0; y < height; y++) {
            float fy = Math.max(0, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, in.height() - 1), y1 = Math.min(y0 + 1, in.height() - 1);
            float wy = fy - y0;
            for (int x = 0; x < width; x++) {
                float fx = Math.max(0, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, in.width() - 1), x1 = Math.min(x0 + 1, in.width() - 1);
                float wx = fx - x0;
                for (int c = 0; c < channels; c++) {
                    float top = in.get(x0, y0, c) * (1 - wx) + in.get(x1, y0, c) * wx;
                    float bottom = in.get(x0, y1, c) * (1 - wx) + in.get(x1, y1, c) * wx;
                    out[(y * width + x) * channels + c] = (byte) Math.round(top * (1 - wy) + bottom * wy);
                }
            }
        }
        return new ImageData(width, height, channels, out);
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
