package dev.clpipe.nn.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Test-only reader of the little-endian float32 C-order {@code .npy} files that
 * {@code make_vectors.py} writes (the {@code tensor} package owns the real .npy support).
 */
final class NpyTestReader {
    private NpyTestReader() {}

    static float[] read(String resource) {
        try (InputStream in = NpyTestReader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing; run src/test/resources/nn/ops/make_vectors.py");
            ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[6];
            bytes.get(magic);
            if (!new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) throw new IllegalStateException(resource + " is not a .npy file");
            int major = bytes.get();
            bytes.get();
            int headerLength = major == 1 ? Short.toUnsignedInt(bytes.getShort()) : bytes.getInt();
            byte[] header = new byte[headerLength];
            bytes.get(header);
            String text = new String(header, StandardCharsets.US_ASCII);
            if (!text.contains("'descr': '<f4'") || !text.contains("'fortran_order': False")) {
                throw new IllegalStateException(resource + " must be little-endian float32 in C order, header: " + text.trim());
            }
            float[] values = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }
}
