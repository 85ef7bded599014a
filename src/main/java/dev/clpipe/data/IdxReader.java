package dev.clpipe.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (MNIST, Fashion-MNIST: {@code *-idx3-ubyte} images, {@code *-idx1-ubyte}
 * labels), plain or gzip-compressed (detected by content, not name). Validates the magic number
 * (0x00 0x00 type ndims; only type 0x08 unsigned byte is supported), the dimensions, and that the
 * file holds exactly the data the header declares. Every error names the file.
 */
public final class IdxReader {
    /** Largest data size accepted, to refuse absurd headers before allocating. */
    public static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /** Reads any unsigned-byte IDX file. */
    public static IdxFile read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gz = b0 == 0x1F && b1 == 0x8B;
            try (InputStream in = gz ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw) {
                return parse(file, in, gz ? -1 : Files.size(file));
            } catch (java.util.zip.ZipException | EOFException e) {
                if (e instanceof EOFException && !gz) {
                    throw e;
                }
                throw new IdxFormatException(file + ": corrupt gzip data: " + e.getMessage());
            }
        }
    }

    /**
     * The dimensions an IDX file's header declares, without reading its data (planning checks
     * shapes with it; the full read still checks the rest).
     */
    public static int[] dims(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 12)) {
            raw.mark(2);
            boolean gz = raw.read() == 0x1F && raw.read() == 0x8B;
            raw.reset();
            try (InputStream in = gz ? new GZIPInputStream(raw, 1 << 12) : raw) {
                return header(file, in);
            } catch (java.util.zip.ZipException | EOFException e) {
                throw new IdxFormatException(file + ": corrupt " + (gz ? "gzip data" : "header") + ": " + e.getMessage());
            }
        }
    }

    /** Reads a 3-D image file (count x rows x cols). */
    public static IdxFile readImages(Path file) throws IOException {
        IdxFile f = read(file);
        if (f.dims().length != 3) {
            throw new IdxFormatException(file + ": expected an image file with 3 dimensions (idx3), found "
                    + f.dims().length);
        }
        return f;
    }

    /** Reads a 1-D label file. */
    public static IdxFile readLabels(Path file) throws IOException {
        IdxFile f = read(file);
        if (f.dims().length != 1) {
            throw new IdxFormatException(file + ": expected a label file with 1 dimension (idx1), found "
                    + f.dims().length);
        }
        return f;
    }

    /** {@code folder/name}, or {@code folder/name.gz} (as Fashion-MNIST ships); an IOException naming both when neither exists. */
    public static Path locate(Path folder, String name) throws IOException {
        for (String n : java.util.List.of(name, name + ".gz")) if (java.nio.file.Files.isRegularFile(folder.resolve(n))) return folder.resolve(n);
        throw new IOException("missing " + folder.resolve(name) + " (or " + name + ".gz); run 'make data' (datasets/fetch-mnist.sh, fetch-fashion-mnist.sh)");
    }

    /** Reads an image file and its label file and checks that the counts agree. */
    public static Labelled readLabelled(Path images, Path labels) throws IOException {
        IdxFile im = readImages(images);
        IdxFile lb = readLabels(labels);
        if (im.count() != lb.count()) {
            throw new IdxFormatException(images + " has " + im.count() + " images but " + labels + " has "
                    + lb.count() + " labels");
        }
        return new Labelled(im, lb);
    }

    /** Images with their labels (same count). */
    public record Labelled(IdxFile images, IdxFile labels) {
        public int count() {
            return images.count();
        }

        public ImageData image(int i) {
            return images.image(i);
        }

        public int label(int i) {
            return labels.label(i);
        }
    }

    private static IdxFile parse(Path file, InputStream in, long fileLength) throws IOException {
        int[] dims = header(file, in);
        long total = 1;
        for (int d : dims) total *= d;
        long headerBytes = 4 + 4L * dims.length;
        if (fileLength >= 0 && fileLength != headerBytes + total) {
            throw new IdxFormatException(file + ": header declares " + java.util.Arrays.toString(dims) + " = " + total
                    + " data bytes, so the file should have " + (headerBytes + total) + " bytes, but it has "
                    + fileLength + (fileLength < headerBytes + total ? " (truncated)" : " (trailing data)"));
        }
        byte[] data = readFully(file, in, (int) total, "data");
        if (in.read() != -1) {
            throw new IdxFormatException(file + ": trailing data after the " + total + " bytes declared by the header");
        }
        return new IdxFile(file, dims, data);
    }

    /** The magic number and dimensions, checked (type, rank, sizes within {@link #MAX_DATA_BYTES}). */
    private static int[] header(Path file, InputStream in) throws IOException {
        byte[] magic = readFully(file, in, 4, "magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(String.format("%s: not an IDX file (magic %02x %02x %02x %02x, expected 00 00 08 0N)",
                    file, magic[0], magic[1], magic[2], magic[3]));
        }
        if (magic[2] != 0x08) {
            throw new IdxFormatException(String.format("%s: IDX data type 0x%02x not supported (only 0x08 unsigned byte)",
                    file, magic[2]));
        }
        int ndims = magic[3] & 0xFF;
        if (ndims < 1 || ndims > 4) {
            throw new IdxFormatException(file + ": IDX header declares " + ndims + " dimensions (expected 1..4)");
        }
        byte[] hdr = readFully(file, in, 4 * ndims, "dimensions");
        int[] dims = new int[ndims];
        long total = 1;
        for (int i = 0; i < ndims; i++) {
            int d = (hdr[4 * i] & 0xFF) << 24 | (hdr[4 * i + 1] & 0xFF) << 16 | (hdr[4 * i + 2] & 0xFF) << 8
                    | (hdr[4 * i + 3] & 0xFF);
            if (d < 0 || (d == 0 && i > 0)) {
                throw new IdxFormatException(file + ": dimension " + i + " is " + d);
            }
            dims[i] = d;
            total *= d;
            if (total > MAX_DATA_BYTES) {
                throw new IdxFormatException(file + ": header declares more than " + MAX_DATA_BYTES + " bytes of data");
            }
        }
        return dims;
    }

    private static byte[] readFully(Path file, InputStream in, int n, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IdxFormatException(file + ": file ends in the " + what + " (needed " + n + " bytes, got "
                    + b.length + "; truncated)");
        }
        return b;
    }
}
