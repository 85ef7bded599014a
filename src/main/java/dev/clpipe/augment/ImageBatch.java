package dev.clpipe.augment;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * N images of height x width x channels uint8 values, interleaved (HWC, RGB order for colour),
 * image after image in one host array. Values are unsigned: read them with {@code & 0xFF}.
 * Equality is by identity (the array is shared, not copied).
 */
public record ImageBatch(int count, int height, int width, int channels, byte[] pixels) {
    public ImageBatch {
        if (count < 0 || height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("batch shape must be positive, got " + count + "x" + height + "x" + width + "x" + channels);
        }
        long want = (long) count * height * width * channels;
        if (pixels == null || pixels.length != want) {
            throw new IllegalArgumentException("batch of " + count + "x" + height + "x" + width + "x" + channels + " needs " + want
                    + " bytes, got " + (pixels == null ? "null" : pixels.length));
        }
    }

    public static ImageBatch allocate(int count, int height, int width, int channels) {
        return new ImageBatch(count, height, width, channels, new byte[Math.multiplyExact(Math.multiplyExact(count, height), Math.multiplyExact(width, channels))]);
    }

    /** RGB batch from same-sized images (alpha dropped). */
    public static ImageBatch ofImages(List<BufferedImage> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("no images");
        int h = images.get(0).getHeight(), w = images.get(0).getWidth();
        ImageBatch batch = allocate(images.size(), h, w, 3);
        for (int n = 0; n < images.size(); n++) {
            BufferedImage image = images.get(n);
            if (image.getHeight() != h || image.getWidth() != w) {
                throw new IllegalArgumentException("image " + n + " is " + image.getWidth() + "x" + image.getHeight() + ", expected " + w + "x" + h);
            }
            int at = n * batch.imageBytes();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++, at += 3) {
                    int rgb = image.getRGB(x, y);
                    batch.pixels[at] = (byte) (rgb >> 16);
                    batch.pixels[at + 1] = (byte) (rgb >> 8);
                    batch.pixels[at + 2] = (byte) rgb;
                }
            }
        }
        return batch;
    }

    /** Image {@code n} as an RGB BufferedImage (grey batches are replicated to RGB). */
    public BufferedImage image(int n) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int at = n * imageBytes();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++, at += channels) {
                int r = pixels[at] & 0xFF;
                int g = channels >= 3 ? pixels[at + 1] & 0xFF : r;
                int b = channels >= 3 ? pixels[at + 2] & 0xFF : r;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    public int imageBytes() {
        return height * width * channels;
    }

    /** Value of channel c at (x, y) of image n, 0..255. */
    public int get(int n, int y, int x, int c) {
        return pixels[((n * height + y) * width + x) * channels + c] & 0xFF;
    }
}
