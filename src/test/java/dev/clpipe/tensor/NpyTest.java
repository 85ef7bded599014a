package dev.clpipe.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures come from src/test/resources/tensor/make_fixtures.py (NumPy). */
class NpyTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(NpyTest.class.getResource("/tensor/" + name).toURI());
    }

    static float[] ramp(int n, float step, float start) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i * step + start;
        return a;
    }

    @Test
    void roundTripKeepsShapeAndBits() throws IOException {
        Random r = new Random(1);
        for (int[] shape : new int[][] {{}, {1}, {7}, {2, 3}, {2, 3, 4, 5}, {0, 3}}) {
            int n = (int) Tensor.checkedSize(shape);
            float[] data = new float[n];
            for (int i = 0; i < n; i++) data[i] = (float) r.nextGaussian();
            if (n > 2) { data[0] = Float.NaN; data[1] = Float.NEGATIVE_INFINITY; }
            Path file = dir.resolve("a.npy");
            Npy.write(file, shape, data);
            NpyArray back = Npy.read(file);
            assertArrayEquals(shape, back.shape());
            assertArrayEquals(data, back.data());
            assertEquals(0, Files.size(file) - 4L * n > 0 ? (Files.size(file) - 4L * n) % 64 : 0, "header is padded to 64 bytes");
        }
    }

    @Test
    void writesTheSameBytesAsNumPy() throws Exception {
        Path ours = dir.resolve("ours.npy");
        Npy.write(ours, new int[] {2, 3, 4}, ramp(24, 0.5f, -3f));
        assertArrayEquals(Files.readAllBytes(fixture("f4_2x3x4.npy")), Files.readAllBytes(ours));
    }

    @Test
    void readsFilesWrittenByNumPy() throws Exception {
        NpyArray f4 = Npy.read(fixture("f4_2x3x4.npy"));
        assertArrayEquals(new int[] {2, 3, 4}, f4.shape());
        assertArrayEquals(ramp(24, 0.5f, -3f), f4.data());
        NpyArray f8 = Npy.read(fixture("f8_5.npy"));
        assertArrayEquals(new int[] {5}, f8.shape());
        assertArrayEquals(ramp(5, 0.5f, -3f), f8.data());
        assertArrayEquals(ramp(6, 1f, -4f), Npy.read(fixture("i4_3x2.npy")).data());
        assertArrayEquals(new int[] {-4, -3, -2, -1}, Npy.read(fixture("i8_4.npy")).toInts());
        NpyArray u1 = Npy.read(fixture("u1_2x2x3.npy"));
        assertArrayEquals(new int[] {2, 2, 3}, u1.shape());
        for (int i = 0; i < 12; i++) assertEquals(i * 20 % 256, u1.data()[i]);
        NpyArray scalar = Npy.read(fixture("f4_scalar.npy"));
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new float[] {-3f}, scalar.data());
        NpyArray v2 = Npy.read(fixture("f4_v2_3x1.npy"));
        assertArrayEquals(new int[] {3, 1}, v2.shape());
        assertArrayEquals(ramp(3, 0.5f, -3f), v2.data());
    }

    @Test
    void errorsNameTheFileAndTheProblem() throws Exception {
        Path fortran = fixture("fortran_2x3.npy");
        IOException e = assertThrows(IOException.class, () -> Npy.read(fortran));
        assertTrue(e.getMessage().contains(fortran.toString()) && e.getMessage().contains("Fortran"), e.getMessage());
        e = assertThrows(IOException.class, () -> Npy.read(fixture("c8_2.npy")));
        assertTrue(e.getMessage().contains("c8_2.npy") && e.getMessage().contains("<c8"), e.getMessage());

        Path notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "hello, this is not numpy");
        e = assertThrows(IOException.class, () -> Npy.read(notNpy));
        assertTrue(e.getMessage().contains("text.npy") && e.getMessage().contains("magic"), e.getMessage());

        byte[] good = Files.readAllBytes(fixture("f4_2x3x4.npy"));
        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 4));
        e = assertThrows(IOException.class, () -> Npy.read(truncated));
        assertTrue(e.getMessage().contains("truncated.npy") && e.getMessage().contains("data bytes"), e.getMessage());
    }

    /** A header may declare any shape; one too large for an array is a data error naming the file, not a crash. */
    @Test
    void aHeaderDeclaringMoreElementsThanAnArrayHoldsIsRefusedNamingTheFile() throws IOException {
        Path huge = dir.resolve("huge.npy");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2000000000, 2000000000), }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length() + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length()).put(header.getBytes());
        Files.write(huge, b.array());
        IOException e = assertThrows(IOException.class, () -> Npy.read(huge));
        assertTrue(e.getMessage().startsWith(huge + ": ") && e.getMessage().contains("2000000000"), e.getMessage());
    }

    @Test
    void writeRejectsMismatchedShape() {
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), new int[] {2, 2}, new float[3]));
    }
}
