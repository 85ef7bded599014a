package dev.clpipe.detect.scenes;

import dev.clpipe.detect.Annotation;
import java.util.List;

/**
 * One generated scene: a grey canvas ({@code width x height} bytes, row-major) and the ink boxes
 * of the digits on it (pixels, labels "0".."9").
 */
public record Scene(int index, int width, int height, byte[] pixels, List<Annotation> objects) {
    public Scene {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("scene " + index + ": " + pixels.length + " pixels for " + width + "x" + height);
        }
        objects = List.copyOf(objects);
    }

    /** Grey value (0..255) at (x, y). */
    public int at(int x, int y) {
        return pixels[y * width + x] & 0xFF;
    }

    /** The canvas in the top-left corner of a {@code side x side} frame, black elsewhere (boxes keep their coordinates). */
    public void padInto(byte[] frame, int offset, int side) {
        if (width > side || height > side) {
            throw new IllegalArgumentException("scene " + index + " (" + width + "x" + height + ") does not fit a " + side + " frame");
        }
        java.util.Arrays.fill(frame, offset, offset + side * side, (byte) 0);
        for (int y = 0; y < height; y++) {
            System.arraycopy(pixels, y * width, frame, offset + y * side, width);
        }
    }
}
