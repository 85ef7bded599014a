package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] b) throws IOException {
        return Files.write(dir.resolve(name), b);
    }

    private static byte[] seq(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @Test
    void readsImagesAndLabelsPlainAndGzipped() throws IOException {
        byte[] pixels = seq(3 * 2 * 4);
        byte[] labels = {7, 0, 9};
        for (boolean gz : new boolean[] {false, true}) {
            byte[] im = idx(8, new int[] {3, 2, 4}, pixels);
            byte[] lb = idx(8, new int[] {3}, labels);
            Path ip = write("train-images-idx3-ubyte" + (gz ? ".gz" : ""), gz ? gzip(im) : im);
            Path lp = write("train-labels-idx1-ubyte" + (gz ? ".gz" : ""), gz ? gzip(lb) : lb);
            IdxReader.Labelled set = IdxReader.readLabelled(ip, lp);
            assertEquals(3, set.count());
            assertArrayEquals(new int[] {3, 2, 4}, set.images().dims());
            ImageData second = set.image(1);
            assertEquals(4, second.width());
            assertEquals(2, second.height());
            assertEquals(1, second.channels());
            assertArrayEquals(Arrays.copyOfRange(pixels, 8, 16), second.pixels());
            assertEquals(pixels[8 + 4 + 1] & 0xFF, second.get(1, 1, 0));
            assertEquals(9, set.label(2));
        }
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        Path p = write("labels-idx1-ubyte", gzip(idx(8, new int[] {2}, new byte[] {1, 2})));
        assertEquals(2, IdxReader.readLabels(p).label(1));
    }

    private String error(String name, byte[] content) throws IOException {
        Path p = write(name, content);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void corruptHeadersAreRefusedWithClearMessages() throws IOException {
        assertTrue(error("bad-magic", new byte[] {0x12, 0x34, 8, 1, 0, 0, 0, 0}).contains("not an IDX file"));
        assertTrue(error("float", idx(0x0D, new int[] {1}, new byte[4])).contains("0x0d not supported"));
        assertTrue(error("zero-dims", new byte[] {0, 0, 8, 0}).contains("0 dimensions"));
        assertTrue(error("short-header", new byte[] {0, 0, 8, 3, 0, 0}).contains("ends in the dimensions"));
        assertTrue(error("tiny", new byte[] {0, 0}).contains("ends in the magic number"));
        byte[] cut = idx(8, new int[] {2, 2, 2}, new byte[8]);
        assertTrue(error("cut", Arrays.copyOf(cut, cut.length - 1)).contains("(truncated)"));
        assertTrue(error("trailing", TestImages.concat(cut, new byte[] {1})).contains("(trailing data)"));
        assertTrue(error("huge", idx(8, new int[] {60000, 60000, 60000}, new byte[0])).contains("more than"));
        assertTrue(error("neg", idx(8, new int[] {-1}, new byte[0])).contains("dimension 0 is -1"));
    }

    @Test
    void corruptGzipIsRefused() throws IOException {
        byte[] gz = gzip(idx(8, new int[] {100}, seq(100)));
        assertTrue(error("cut.gz", Arrays.copyOf(gz, gz.length - 10)).contains("corrupt gzip"));
        byte[] shortData = gzip(idx(8, new int[] {100}, seq(99)));
        assertTrue(error("short.gz", shortData).contains("truncated"));
        byte[] longData = gzip(idx(8, new int[] {100}, seq(101)));
        assertTrue(error("long.gz", longData).contains("trailing data"));
    }

    @Test
    void wrongKindAndCountMismatchAreRefused() throws IOException {
        Path im = write("im", idx(8, new int[] {2, 1, 1}, new byte[2]));
        Path lb = write("lb", idx(8, new int[] {3}, new byte[3]));
        assertTrue(assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(im)).getMessage()
                .contains("expected a label file"));
        assertTrue(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(lb)).getMessage()
                .contains("expected an image file"));
        String msg = assertThrows(IdxFormatException.class, () -> IdxReader.readLabelled(im, lb)).getMessage();
        assertTrue(msg.contains("has 2 images but") && msg.contains("has 3 labels"), msg);
    }
}
