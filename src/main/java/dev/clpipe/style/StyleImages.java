package dev.clpipe.style;

import dev.clpipe.data.ImageData;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Host-side image handling of style transfer: sizes, cover-crop resizing, pixels in and out, the step strip. */
public final class StyleImages {
    /** Sides are multiples of this so that every pooling of the feature nets halves evenly. */
    public static final int SIDE_MULTIPLE = 32;

    private StyleImages() {}

    /** {width, height} with the long side {@code size} and the aspect of {@code image}, both rounded to {@link #SIDE_MULTIPLE}. */
    public static int[] targetSize(ImageData image, int size) {
        double s = (double) size / Math.max(image.width(), image.height());
        return new int[] {round(image.width() * s), round(image.height() * s)};
    }

    private static int round(double side) {
        return Math.max(SIDE_MULTIPLE, (int) Math.round(side / SIDE_MULTIPLE) * SIDE_MULTIPLE);
    }

    /** Scales {@code image} to cover width x height and crops the centre (no stretching). */
    public static BufferedImage cover(ImageData image, int width, int height) {
        BufferedImage src = image.withChannels(3).toBufferedImage();
        double s = Math.max((double) width / src.getWidth(), (double) height / src.getHeight());
        // Halve first while far too big: one bilinear pass from a much larger image aliases.
        while (s < 0.5) {
            src = scaled(src, src.getWidth() / 2, src.getHeight() / 2, 0, 0);
            s *= 2;
        }
        int sw = (int) Math.ceil(src.getWidth() * s), sh = (int) Math.ceil(src.getHeight() * s);
        return scaled(src, width, height, (sw - width) / 2, (sh - height) / 2, sw, sh);
    }

    private static BufferedImage scaled(BufferedImage src, int w, int h, int x, int y) {
        return scaled(src, w, h, x, y, w, h);
    }

    /** Draws src scaled to sw x sh, shifted by (-x, -y), into a w x h canvas. */
    private static BufferedImage scaled(BufferedImage src, int w, int h, int x, int y, int sw, int sh) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, -x, -y, sw, sh, null);
        g.dispose();
        return out;
    }

    /** Interleaved RGB floats 0..255, row-major (the NHWC pixels of a batch-1 tensor). */
    public static float[] pixels(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        float[] out = new float[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y), i = (y * w + x) * 3;
                out[i] = (rgb >> 16) & 0xFF;
                out[i + 1] = (rgb >> 8) & 0xFF;
                out[i + 2] = rgb & 0xFF;
            }
        }
        return out;
    }

    public static BufferedImage image(float[] pixels, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                out.setRGB(x, y, (byte8(pixels[i]) << 16) | (byte8(pixels[i + 1]) << 8) | byte8(pixels[i + 2]));
            }
        }
        return out;
    }

    private static int byte8(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    /** The frames side by side, each labelled below (e.g. "it 100"). */
    public static BufferedImage strip(List<BufferedImage> frames, List<String> labels) {
        int gap = 4, label = 16;
        int w = frames.stream().mapToInt(BufferedImage::getWidth).sum() + gap * (frames.size() - 1);
        int h = frames.stream().mapToInt(BufferedImage::getHeight).max().orElse(1) + label;
        BufferedImage out = new BufferedImage(Math.max(1, w), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), h);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        int x = 0;
        for (int i = 0; i < frames.size(); i++) {
            g.drawImage(frames.get(i), x, 0, null);
            g.drawString(labels.get(i), x + 4, h - 4);
            x += frames.get(i).getWidth() + gap;
        }
        g.dispose();
        return out;
    }
}
