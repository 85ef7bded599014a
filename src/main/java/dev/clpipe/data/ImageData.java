package dev.clpipe.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * A decoded 8-bit image: {@code pixels} interleaved row-major HWC, channel order grey, RGB or RGBA
 * (1, 3 or 4 channels). The array is owned by the record; callers must not change it after
 * construction.
 */
public record ImageData(int width, int height, int channels, byte[] pixels) {

    public ImageData {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException("channels must be 1, 3 or 4, got " + channels);
        }
        long expected = (long) width * height * channels;
        if (pixels == null || pixels.length != expected) {
            throw new IllegalArgumentException("pixels must hold width*height*channels = " + expected
                    + " bytes, got " + (pixels == null ? "null" : pixels.length));
        }
    }

    /** A zero-filled image. */
    public static ImageData blank(int width, int height, int channels) {
        return new ImageData(width, height, channels, new byte[Math.multiplyExact(Math.multiplyExact(width, height), channels)]);
    }

    /** Sample at column x, row y, channel c, as 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    /** Number of pixels, width*height. */
    public long pixelCount() {
        return (long) width * height;
    }

    /** True if there is an alpha channel (4 channels). */
    public boolean hasAlpha() {
        return channels == 4;
    }

    /**
     * Converts any {@link BufferedImage} to 8-bit grey, RGB or RGBA. Grey images (1 band, or grey +
     * alpha, or an opaque all-grey palette) keep their sample values exactly, scaled from their bit
     * depth (16-bit grey 65535 → 255); they are not passed through Java's linear-grey colour
     * conversion. Grey with alpha becomes RGBA. Everything else goes through sRGB
     * ({@link BufferedImage#getRGB}): 3 channels, or 4 if the colour model has alpha.
     */
    public static ImageData fromBufferedImage(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        int w = img.getWidth();
        int h = img.getHeight();
        Raster raster = img.getRaster();
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return fromGreyRaster(raster, cm, w, h);
        }
        if (cm instanceof IndexColorModel icm && isGreyPalette(icm)) {
            return fromGreyPalette(raster, icm, w, h);
        }
        boolean alpha = cm.hasAlpha();
        int ch = alpha ? 4 : 3;
        if (isPlain8BitSrgb(cm)) {
            return fromSamples(raster, w, h, ch);
        }
        byte[] out = new byte[w * h * ch];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            int o = y * w * ch;
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                out[o++] = (byte) (argb >>> 16);
                out[o++] = (byte) (argb >>> 8);
                out[o++] = (byte) argb;
                if (alpha) {
                    out[o++] = (byte) (argb >>> 24);
                }
            }
        }
        return new ImageData(w, h, ch, out);
    }

    private static ImageData fromGreyRaster(Raster raster, ColorModel cm, int w, int h) {
        int bands = raster.getNumBands();
        int greyMax = (1 << cm.getComponentSize(0)) - 1;
        int alphaMax = bands > 1 ? (1 << cm.getComponentSize(1)) - 1 : 1;
        int ch = bands > 1 ? 4 : 1;
        byte[] out = new byte[w * h * ch];
        int[] g = new int[w];
        int[] a = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, g);
            if (bands > 1) {
                raster.getSamples(0, y, w, 1, 1, a);
            }
            int o = y * w * ch;
            for (int x = 0; x < w; x++) {
                byte v = scale(g[x], greyMax);
                out[o++] = v;
                if (ch == 4) {
                    out[o++] = v;
                    out[o++] = v;
                    out[o++] = scale(a[x], alphaMax);
                }
            }
        }
        return new ImageData(w, h, ch, out);
    }

    /** 8-bit sRGB samples in R, G, B(, A) band order, straight alpha: samples are the pixels. */
    private static boolean isPlain8BitSrgb(ColorModel cm) {
        if (!(cm instanceof java.awt.image.ComponentColorModel) || !cm.getColorSpace().isCS_sRGB()
                || cm.isAlphaPremultiplied()) {
            return false;
        }
        for (int size : cm.getComponentSize()) {
            if (size != 8) {
                return false;
            }
        }
        return true;
    }

    /** Fast path: copies the raster's samples row by row (no per-pixel colour model call). */
    private static ImageData fromSamples(Raster raster, int w, int h, int ch) {
        byte[] out = new byte[w * h * ch];
        int[] row = new int[w * ch];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            int o = y * w * ch;
            for (int i = 0; i < row.length; i++) {
                out[o + i] = (byte) row[i];
            }
        }
        return new ImageData(w, h, ch, out);
    }

    /** An opaque palette whose entries are all grey (r == g == b), e.g. 1/2/4-bit grey PNGs. */
    private static boolean isGreyPalette(IndexColorModel icm) {
        if (icm.hasAlpha()) {
            return false;
        }
        for (int i = 0; i < icm.getMapSize(); i++) {
            int r = icm.getRed(i);
            if (icm.getGreen(i) != r || icm.getBlue(i) != r) {
                return false;
            }
        }
        return true;
    }

    private static ImageData fromGreyPalette(Raster raster, IndexColorModel icm, int w, int h) {
        byte[] out = new byte[w * h];
        int[] idx = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, idx);
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (byte) icm.getRed(idx[x]);
            }
        }
        return new ImageData(w, h, 1, out);
    }

    private static byte scale(int sample, int max) {
        return (byte) (max == 255 ? sample : (sample * 255L + max / 2) / max);
    }

    /** A new {@link BufferedImage}: TYPE_BYTE_GRAY, TYPE_3BYTE_BGR or TYPE_4BYTE_ABGR. */
    public BufferedImage toBufferedImage() {
        int type = switch (channels) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_3BYTE_BGR;
            default -> BufferedImage.TYPE_4BYTE_ABGR;
        };
        BufferedImage img = new BufferedImage(width, height, type);
        int[] row = new int[width * channels];
        for (int y = 0; y < height; y++) {
            int base = y * width * channels;
            for (int i = 0; i < row.length; i++) {
                row[i] = pixels[base + i] & 0xFF;
            }
            img.getRaster().setPixels(0, y, width, 1, row);
        }
        return img;
    }

    /** This image with {@code channels} channels: grey ↔ RGB (BT.601 luma) ↔ RGBA (opaque). */
    public ImageData withChannels(int target) {
        if (target == channels) {
            return this;
        }
        ImageData out = blank(width, height, target);
        byte[] dst = out.pixels;
        int n = width * height;
        for (int i = 0; i < n; i++) {
            int s = i * channels;
            int r = pixels[s] & 0xFF;
            int g = channels == 1 ? r : pixels[s + 1] & 0xFF;
            int b = channels == 1 ? r : pixels[s + 2] & 0xFF;
            int a = channels == 4 ? pixels[s + 3] & 0xFF : 255;
            int d = i * target;
            if (target == 1) {
                dst[d] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
            } else {
                dst[d] = (byte) r;
                dst[d + 1] = (byte) g;
                dst[d + 2] = (byte) b;
                if (target == 4) {
                    dst[d + 3] = (byte) a;
                }
            }
        }
        return out;
    }

    /** Samples as floats in [0,1], same HWC layout as {@link #pixels()}. */
    public float[] toFloatHwc() {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (pixels[i] & 0xFF) / 255f;
        }
        return out;
    }

    /** Samples as floats in [0,1], planar CHW layout: out[c*H*W + y*W + x]. */
    public float[] toFloatChw() {
        int plane = width * height;
        float[] out = new float[pixels.length];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < channels; c++) {
                out[c * plane + i] = (pixels[i * channels + c] & 0xFF) / 255f;
            }
        }
        return out;
    }

    /** Inverse of {@link #toFloatChw()}: values clamped to [0,1] and rounded to 8 bits. */
    public static ImageData fromFloatChw(int width, int height, int channels, float[] chw) {
        ImageData out = blank(width, height, channels);
        int plane = width * height;
        if (chw.length != plane * channels) {
            throw new IllegalArgumentException("expected " + plane * channels + " floats, got " + chw.length);
        }
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < channels; c++) {
                float v = Math.max(0f, Math.min(1f, chw[c * plane + i]));
                out.pixels[i * channels + c] = (byte) Math.round(v * 255f);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageData d && d.width == width && d.height == height
                && d.channels == channels && Arrays.equals(d.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * width + height) + channels) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "ImageData[" + width + "x" + height + "x" + channels + "]";
    }
}
