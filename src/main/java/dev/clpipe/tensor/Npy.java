package dev.clpipe.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1.0-3.0), so users and tests exchange arrays with
 * NumPy and PyTorch. Writes float32 little-endian C-order; reads float32, float64, int32, int64
 * and uint8 (little-endian, C-order) into float32. Every error names the file.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static NpyArray read(Path file) throws IOException {
        if (Files.size(file) > Integer.MAX_VALUE - 64) throw bad(file, Files.size(file) + " bytes, more than one array can hold");
        return parse(file, Files.readAllBytes(file));
    }

    /** Parses the bytes of a {@code .npy} file already in memory ({@code file} names it in errors). */
    public static NpyArray parse(Path file, byte[] bytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10) throw bad(file, "too short to be a .npy file (" + bytes.length + " bytes)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) throw bad(file, "missing the \\x93NUMPY magic: not a .npy file");
        }
        int major = bytes[6];
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(in.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw bad(file, "truncated header");
            headerLength = in.getInt(8);
            headerStart = 12;
        } else {
            throw bad(file, "unsupported .npy format version " + major + "." + bytes[7]);
        }
        if (headerLength < 0 || headerStart + headerLength > bytes.length) throw bad(file, "truncated header");
        String header = new String(bytes, headerStart, headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file, "descr");
        if ("True".equals(group(FORTRAN, header, file, "fortran_order"))) {
            throw bad(file, "Fortran-order arrays are not supported; save with np.ascontiguousarray(a)");
        }
        int[] shape = parseShape(group(SHAPE, header, file, "shape"), file);
        long count;
        try {
            count = Tensor.checkedSize(shape);
        } catch (IllegalArgumentException e) {
            throw bad(file, "header declares " + e.getMessage());
        }
        int width = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|u1", "<u1" -> 1;
            default -> throw bad(file, "unsupported dtype '" + descr + "' (supported: <f4, <f8, <i4, <i8, |u1)");
        };
        int dataStart = headerStart + headerLength;
        if ((long) bytes.length - dataStart != count * width) {
            throw bad(file, "holds " + (bytes.length - dataStart) + " data bytes but shape " + java.util.Arrays.toString(shape)
                    + " of " + descr + " needs " + count * width);
        }
        float[] data = new float[(int) count];
        in.position(dataStart);
        for (int i = 0; i < data.length; i++) {
            data[i] = switch (descr) {
                case "<f4" -> in.getFloat();
                case "<f8" -> (float) in.getDouble();
                case "<i4" -> in.getInt();
                case "<i8" -> in.getLong();
                default -> Byte.toUnsignedInt(in.get());
            };
        }
        return new NpyArray(shape, data);
    }

    /** Writes a float32 little-endian C-order array (format 1.0). */
    public static void write(Path file, int[] shape, float[] data) throws IOException {
        Files.write(file, encode(file, shape, data));
    }

    /** The bytes {@link #write(Path, int[], float[])} would write ({@code file} names it in errors). */
    public static byte[] encode(Path file, int[] shape, float[] data) {
        if (Tensor.checkedSize(shape) != data.length) {
            throw new IllegalArgumentException("cannot write " + file + ": shape " + java.util.Arrays.toString(shape) + " does not match " + data.length + " values");
        }
        // NumPy spells shapes as Python tuples: (), (3,), (2, 3).
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) dims.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) dims.append(',');
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        // Pad with spaces so the data starts on a 64-byte boundary; the header ends in '\n'.
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : data) out.putFloat(v);
        return out.array();
    }

    public static void write(Path file, Tensor tensor) throws IOException {
        write(file, tensor.shape(), tensor.toHost());
    }

    private static String group(Pattern pattern, String header, Path file, String key) throws IOException {
        Matcher m = pattern.matcher(header);
        if (!m.find()) throw bad(file, "header has no '" + key + "' entry: " + header.strip());
        return m.group(1);
    }

    private static int[] parseShape(String text, Path file) throws IOException {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            if (p.endsWith("L")) p = p.substring(0, p.length() - 1);
            try {
                dims.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                throw bad(file, "bad shape entry '" + part.strip() + "'");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static IOException bad(Path file, String why) {
        return new IOException(file + ": " + why);
    }
}
