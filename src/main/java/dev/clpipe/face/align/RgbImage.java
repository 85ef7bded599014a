package dev.clpipe.face.align;

import dev.clpipe.data.ImageData;

/**
 * A float RGB image, row-major HWC, values 0..255: what face-api's networks take before they
 * normalise. Grey sources are replicated to three channels (as tf.node.decodeImage(…, 3) does),
 * alpha is dropped.
 */
public record RgbImage(int width, int height, float[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb must hold width*height*3 = " + width * height * 3 + " floats, got " + rgb.length);
        }
    }

    public static RgbImage of(ImageData image) {
        int n = image.width() * image.height(), c = image.channels();
        byte[] px = image.pixels();
        float[] rgb = new float[n * 3];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) rgb[i * 3 + k] = px[i * c + (c < 3 ? 0 : k)] & 0xFF;
        }
        return new RgbImage(image.width(), image.height(), rgb);
    }

    public float at(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c];
    }

    /** The same image mirrored left-right. */
    public RgbImage mirrored() {
        float[] out = new float[rgb.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                System.arraycopy(rgb, (y * width + x) * 3, out, (y * width + (width - 1 - x)) * 3, 3);
            }
        }
        return new RgbImage(width, height, out);
    }

    /** 8-bit RGB copy (rounded, clamped), e.g. for thumbnails. */
    public ImageData toImageData() {
        byte[] px = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) px[i] = (byte) Math.max(0, Math.min(255, Math.round(rgb[i])));
        return new ImageData(width, height, 3, px);
    }
}
