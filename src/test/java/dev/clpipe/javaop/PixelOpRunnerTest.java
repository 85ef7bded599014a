package dev.clpipe.javaop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.bench.JavaOpBench;
import dev.clpipe.cl.ClException;
import dev.clpipe.data.ImageData;
import dev.clpipe.testing.TestDevices;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A java-op run on the OpenCL device through Aparapi gives the plain-Java result (bench java-op's op: it
 * reads neighbours, uses params and exp/log); a fallback to Java is caught.
 */
class PixelOpRunnerTest {

    /** Aparapi cannot translate {@code new}, so it runs this on its Java thread pool. */
    public static final class Untranslatable extends PixelOp {
        @Override
        public void run() {
            int i = getGlobalId();
            out[i] = new float[] {in[i]}[0];
        }
    }

    @Test
    void onTheDeviceEqualsPlainJavaOverManyShapes() {
        SplittableRandom random = new SplittableRandom(21);
        float[] params = {0.7f, 0.6f}; // gamma, blur strength
        try (PixelOpRunner device = PixelOpRunner.onDevice(new JavaOpBench.BlurGamma(), TestDevices.context().device(), false, params);
                PixelOpRunner java = PixelOpRunner.plainJava(new JavaOpBench.BlurGamma(), params)) {
            int[][] shapes = {{1, 1, 1}, {2, 3, 3}, {7, 5, 1}, {17, 13, 3}, {64, 48, 4}, {33, 1, 3}, {1, 29, 4}, {128, 96, 3}};
            for (int[] s : shapes) {
                byte[] pixels = new byte[s[0] * s[1] * s[2]];
                for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) random.nextInt(256);
                ImageData image = new ImageData(s[0], s[1], s[2], pixels);
                byte[] onDevice = device.apply(image).pixels();
                byte[] plain = java.apply(image).pixels();
                assertTrue(device.ranOnDevice());
                assertClose(plain, onDevice, s);
            }
        }
    }

    /** Float sums may round differently on the device: at most one step of 8 bits apart. */
    private static void assertClose(byte[] expected, byte[] actual, int[] shape) {
        assertTrue(expected.length == actual.length);
        for (int i = 0; i < expected.length; i++) {
            int d = Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF));
            if (d > 1) throw new AssertionError("shape " + java.util.Arrays.toString(shape) + " value " + i + ": java " + (expected[i] & 0xFF)
                    + ", device " + (actual[i] & 0xFF));
        }
    }

    @Test
    void aFallbackToJavaIsRefusedUnlessAllowed() {
        ImageData image = new ImageData(3, 2, 1, new byte[] {0, 10, 20, 30, 40, (byte) 250});
        try (PixelOpRunner refusing = PixelOpRunner.onDevice(new Untranslatable(), TestDevices.context().device(), false, new float[0])) {
            ClException e = assertThrows(ClException.class, () -> refusing.apply(image));
            assertTrue(e.getMessage().contains("Untranslatable did not run on") && e.getMessage().contains("allow_java_fallback"), e.getMessage());
        }
        try (PixelOpRunner allowing = PixelOpRunner.onDevice(new Untranslatable(), TestDevices.context().device(), true, new float[0])) {
            assertArrayEquals(image.pixels(), allowing.apply(image).pixels());
            assertFalse(allowing.ranOnDevice());
        }
    }
}
