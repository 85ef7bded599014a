package dev.clpipe.data;

/**
 * The fixed shape every cached sample is converted to: height x width x channels bytes (HWC),
 * channels 1 (grey, BT.601 luma), 3 (RGB; alpha dropped) or 4 (RGBA). An image of another size is
 * fitted by {@link Fit}: stretched to the shape (classification's default), letterboxed (scaled to
 * fit with its aspect kept, centred, the rest zero) or padded (top-left, scaled down only when it
 * is larger than the frame). Resizing is bilinear with pixel centres aligned. {@link #placement}
 * tells where an image lands, so annotated boxes can follow it.
 */
public record SampleFormat(int height, int width, int channels, Fit fit) {
    /** How an image of another size meets the frame. */
    public enum Fit {
        STRETCH, LETTERBOX, PAD;

        public String key() {
            return name().toLowerCase();
        }
    }

    public SampleFormat {
        if (height < 1 || width < 1) throw new IllegalArgumentException("sample size must be positive, got " + height + "x" + width);
        if (channels != 1 && channels != 3 && channels != 4) throw new IllegalArgumentException("channels must be 1, 3 or 4, got " + channels);
        if (fit == null) throw new IllegalArgumentException("fit must be given");
    }

    /** Images stretched to the shape. */
    public SampleFormat(int height, int width, int channels) {
        this(height, width, channels, Fit.STRETCH);
    }

    public int bytes() {
        return height * width * channels;
    }

    /** Where a {@code sourceWidth x sourceHeight} image lands in the frame. */
    public FramePlacement placement(int sourceWidth, int sourceHeight) {
        switch (fit) {
            case STRETCH:
                return new FramePlacement(sourceWidth, sourceHeight, (double) width / sourceWidth, (double) height / sourceHeight, 0, 0, width, height);
            case LETTERBOX:
            case PAD:
            default:
                double s = Math.min((double) width / sourceWidth, (double) height / sourceHeight);
                if (fit == Fit.PAD) s = Math.min(1, s);
                int w = Math.max(1, Math.min(width, (int) Math.round(sourceWidth * s)));
                int h = Math.max(1, Math.min(height, (int) Math.round(sourceHeight * s)));
                int ox = fit == Fit.PAD ? 0 : (width - w) / 2, oy = fit == Fit.PAD ? 0 : (height - h) / 2;
                // the scale actually applied is the placed size over the source size (rounding included)
                return new FramePlacement(sourceWidth, sourceHeight, (double) w / sourceWidth, (double) h / sourceHeight, ox, oy, w, h);
        }
    }

    /** {@code image} converted to this format. */
    public ImageData fit(ImageData image) {
        ImageData c = image.withChannels(channels);
        if (c.width() == width && c.height() == height) return c;
        FramePlacement p = placement(c.width(), c.height());
        ImageData placed = p.placedWidth() == c.width() && p.placedHeight() == c.height() ? c : resize(c, p.placedWidth(), p.placedHeight());
        if (placed.width() == width && placed.height() == height) return placed;
        byte[] out = new byte[bytes()];
        int row = placed.width() * channels;
        for (int y = 0; y < placed.height(); y++) {
            System.arraycopy(placed.pixels(), y * row, out, ((y + p.offsetY()) * width + p.offsetX()) * channels, row);
        }
        return new ImageData(width, height, channels, out);
    }

    private ImageData resize(ImageData in, int width, int height) {
        byte[] out = new byte[width * height * channels];
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

    /** "HxWxC", plus the fit when it is not the stretch (so existing caches keep their keys). */
    @Override
    public String toString() {
        return height + "x" + width + "x" + channels + (fit == Fit.STRETCH ? "" : " " + fit.key());
    }
}
