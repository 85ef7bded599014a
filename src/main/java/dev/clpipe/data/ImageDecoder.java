package dev.clpipe.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, BMP and GIF (first frame) safely:
 * <ol>
 *   <li>the format is found from the content's magic bytes, not from the extension; a mismatching
 *       extension is a note on the result (or a {@code wrong_extension} refusal when
 *       {@link Options#strictExtension()} is set);</li>
 *   <li>the file size, then the dimensions read from the header, are checked against the limits
 *       before any pixel is decoded, so a small file declaring 100000x100000 pixels (a
 *       decompression bomb) costs nothing;</li>
 *   <li>the container's end marker is checked (PNG IEND, JPEG EOI, GIF trailer, BMP pixel size),
 *       and decoder warnings about premature ends count as truncation too; PNG chunk CRCs are
 *       verified as libpng does ({@link PngChunkCrc});</li>
 *   <li>JPEG EXIF orientation is applied, so the result is upright;</li>
 *   <li>JPEGs go through libjpeg-turbo when {@link Options#decoder()} allows it and it is
 *       installed, else through ImageIO; either way an embedded ICC profile is ignored
 *       ({@link JpegIccProfile}), so the pixels are the same on every JDK.</li>
 * </ol>
 * Every refusal is an {@link ImageRejectedException} with a {@link RejectReason}. Thread-safe: each
 * call uses its own ImageIO reader or TurboJPEG handle.
 */
public final class ImageDecoder {

    /**
     * Limits of one decode, and how JPEGs are decoded.
     *
     * @param maxPixels       largest width*height accepted (default 50 megapixels)
     * @param maxSide         largest width or height accepted (default 30000)
     * @param maxFileBytes    largest file accepted (default 512 MiB)
     * @param strictExtension refuse files whose extension does not match the content
     * @param decoder         JPEG decoder: libjpeg-turbo, ImageIO, or the first available (default)
     * @param reduceToSide    decode JPEGs at 1/2, 1/4 or 1/8 scale (DCT domain, libjpeg-turbo only)
     *                        while both sides stay at least this long; 0 (default) = full size
     */
    public record Options(long maxPixels, int maxSide, long maxFileBytes, boolean strictExtension,
            DecoderChoice decoder, int reduceToSide) {
        public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
        public static final int DEFAULT_MAX_SIDE = 30_000;
        public static final long DEFAULT_MAX_FILE_BYTES = 512L << 20;

        public Options {
            if (maxPixels <= 0) {
                throw new IllegalArgumentException("maxPixels must be > 0, got " + maxPixels);
            }
            if (maxSide <= 0) {
                throw new IllegalArgumentException("maxSide must be > 0, got " + maxSide);
            }
            if (maxFileBytes <= 0 || maxFileBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxFileBytes must be in 1.." + (Integer.MAX_VALUE - 8)
                        + ", got " + maxFileBytes);
            }
            if (decoder == null) {
                throw new IllegalArgumentException("decoder must not be null");
            }
            if (reduceToSide < 0) {
                throw new IllegalArgumentException("reduceToSide must be >= 0, got " + reduceToSide);
            }
        }

        /** Limits only; JPEGs through the first available decoder at full size. */
        public Options(long maxPixels, int maxSide, long maxFileBytes, boolean strictExtension) {
            this(maxPixels, maxSide, maxFileBytes, strictExtension, DecoderChoice.AUTO, 0);
        }

        public static Options defaults() {
            return new Options(DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE, DEFAULT_MAX_FILE_BYTES, false);
        }

        public Options withMaxPixels(long v) {
            return new Options(v, maxSide, maxFileBytes, strictExtension, decoder, reduceToSide);
        }

        public Options withMaxSide(int v) {
            return new Options(maxPixels, v, maxFileBytes, strictExtension, decoder, reduceToSide);
        }

        public Options withMaxFileBytes(long v) {
            return new Options(maxPixels, maxSide, v, strictExtension, decoder, reduceToSide);
        }

        public Options withStrictExtension(boolean v) {
            return new Options(maxPixels, maxSide, maxFileBytes, v, decoder, reduceToSide);
        }

        public Options withDecoder(DecoderChoice v) {
            return new Options(maxPixels, maxSide, maxFileBytes, strictExtension, v, reduceToSide);
        }

        public Options withReduceToSide(int v) {
            return new Options(maxPixels, maxSide, maxFileBytes, strictExtension, decoder, v);
        }
    }

    private final Options options;
    private final boolean turbo;

    public ImageDecoder() {
        this(Options.defaults());
    }

    public ImageDecoder(Options options) {
        this.options = options;
        this.turbo = options.decoder().usesTurbo();
    }

    /** The decoder used for {@code format} ("libjpeg-turbo" or "imageio"). */
    public String decoderFor(ImageFormat format) {
        return format == ImageFormat.JPEG && turbo ? DecoderChoice.TURBO_NAME : DecoderChoice.IMAGEIO_NAME;
    }

    public Options options() {
        return options;
    }

    /** Decodes a file; messages name it by {@code file.toString()}. */
    public DecodedImage decode(Path file) throws ImageRejectedException {
        return decode(file, file.toString());
    }

    /** Decodes a file; messages name it {@code displayName} (e.g. its root-relative path). */
    public DecodedImage decode(Path file, String displayName) throws ImageRejectedException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > options.maxFileBytes()) {
                throw new ImageRejectedException(displayName, RejectReason.FILE_TOO_LARGE,
                        "file has " + size + " bytes, over the limit of " + options.maxFileBytes());
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageRejectedException(displayName, RejectReason.IO_ERROR, "file not found", e);
        } catch (IOException e) {
            throw new ImageRejectedException(displayName, RejectReason.IO_ERROR, "cannot read: " + e, e);
        }
        return decode(bytes, displayName);
    }

    /** Decodes a file found by {@link ImageFolderSource}; messages name it by its relative path. */
    public DecodedImage decode(ImageRef ref) throws ImageRejectedException {
        return decode(ref.absolute(), ref.name());
    }

    /** Convenience: the upright pixels of a file. */
    public ImageData decodeImage(Path file) throws ImageRejectedException {
        return decode(file).image();
    }

    /**
     * Decodes the bytes of a file named {@code name} (the name is used for the extension check
     * and messages).
     */
    public DecodedImage decode(byte[] bytes, String name) throws ImageRejectedException {
        if (bytes.length == 0) {
            throw new ImageRejectedException(name, RejectReason.EMPTY, "file is empty (0 bytes)");
        }
        if (bytes.length > options.maxFileBytes()) {
            throw new ImageRejectedException(name, RejectReason.FILE_TOO_LARGE,
                    "file has " + bytes.length + " bytes, over the limit of " + options.maxFileBytes());
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) {
            throw new ImageRejectedException(name, RejectReason.NOT_IMAGE,
                    "not an image: content starts with " + describeHead(bytes));
        }
        if (!format.decodable()) {
            throw new ImageRejectedException(name, RejectReason.UNSUPPORTED_FORMAT,
                    format.name() + " images are not supported (supported: PNG, JPEG, BMP, GIF)");
        }
        List<String> notes = new ArrayList<>();
        String ext = ImageFormat.extensionOf(name);
        if (!ext.isEmpty() && !format.matchesExtension(ext)) {
            String msg = "extension ." + ext + " but the content is " + format.name();
            if (options.strictExtension()) {
                throw new ImageRejectedException(name, RejectReason.WRONG_EXTENSION, msg);
            }
            notes.add(msg + "; decoded as " + format.name());
        }
        String truncated = ContainerCheck.truncation(format, bytes);
        if (truncated != null) {
            throw new ImageRejectedException(name, RejectReason.TRUNCATED, truncated);
        }
        if (format == ImageFormat.PNG) {
            String damaged = PngChunkCrc.check(bytes, notes);
            if (damaged != null) throw new ImageRejectedException(name, RejectReason.CORRUPT, damaged);
        }
        ImageData data;
        if (format == ImageFormat.JPEG && turbo) {
            data = TurboJpegDecoder.decode(bytes, name, options, notes);
        } else {
            byte[] input = format == ImageFormat.JPEG ? JpegIccProfile.strip(bytes) : bytes;
            data = ImageData.fromBufferedImage(read(input, format, name, notes));
        }
        int orientation = 1;
        if (format == ImageFormat.JPEG) {
            orientation = ExifOrientation.read(bytes);
            data = ExifOrientation.apply(data, orientation);
        }
        return new DecodedImage(data, format, orientation, notes, decoderFor(format));
    }

    private BufferedImage read(byte[] bytes, ImageFormat format, String name, List<String> notes)
            throws ImageRejectedException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new ImageRejectedException(name, RejectReason.UNSUPPORTED_FORMAT,
                    "no ImageIO reader for " + format.name());
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int w;
            int h;
            try {
                w = reader.getWidth(0);
                h = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw new ImageRejectedException(name, RejectReason.CORRUPT,
                        "cannot read " + format.name() + " header: " + e.getMessage(), e);
            }
            checkSize(options, name, w, h);
            reader.addIIOReadWarningListener(new WarningCollector(warnings));
            BufferedImage img;
            try {
                img = reader.read(0, reader.getDefaultReadParam());
            } catch (IIOException e) {
                String msg = String.valueOf(e.getMessage());
                if (msg.contains("Unsupported Image Type")) {
                    throw new ImageRejectedException(name, RejectReason.UNSUPPORTED_COLOR,
                            format.name() + " colour model not supported (CMYK/YCCK?): " + msg, e);
                }
                throw new ImageRejectedException(name, RejectReason.CORRUPT,
                        "cannot decode " + format.name() + ": " + msg, e);
            } catch (IOException | RuntimeException e) {
                throw new ImageRejectedException(name, RejectReason.CORRUPT,
                        "cannot decode " + format.name() + ": " + e, e);
            }
            for (String wmsg : warnings) {
                String lower = wmsg.toLowerCase(Locale.ROOT);
                if (lower.contains("truncated") || lower.contains("premature") || lower.contains("eoi")) {
                    throw new ImageRejectedException(name, RejectReason.TRUNCATED,
                            format.name() + " decoder: " + wmsg);
                }
                notes.add(format.name() + " decoder warning: " + wmsg);
            }
            if (img == null) {
                throw new ImageRejectedException(name, RejectReason.CORRUPT, "decoder returned no image");
            }
            return img;
        } catch (IOException e) {
            throw new ImageRejectedException(name, RejectReason.IO_ERROR, "cannot read: " + e, e);
        } finally {
            reader.dispose();
        }
    }

    /** The header's size against the limits, before any pixel buffer exists. */
    static void checkSize(Options options, String name, int w, int h) throws ImageRejectedException {
        if (w <= 0 || h <= 0) {
            throw new ImageRejectedException(name, RejectReason.CORRUPT, "header declares size " + w + "x" + h);
        }
        if (w > options.maxSide() || h > options.maxSide()) {
            throw new ImageRejectedException(name, RejectReason.TOO_LARGE, "header declares " + w + "x" + h
                    + " pixels; a side over the limit of " + options.maxSide());
        }
        long pixels = (long) w * h;
        if (pixels > options.maxPixels()) {
            throw new ImageRejectedException(name, RejectReason.TOO_LARGE, "header declares " + w + "x" + h
                    + " = " + pixels + " pixels, over the limit of " + options.maxPixels());
        }
    }

    private static String describeHead(byte[] b) {
        int n = Math.min(8, b.length);
        boolean text = true;
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int v = b[i] & 0xFF;
            hex.append(String.format(Locale.ROOT, i == 0 ? "%02x" : " %02x", v));
            text &= v == '\t' || v == '\n' || v == '\r' || (v >= 0x20 && v < 0x7F);
        }
        return hex + (text ? " (looks like text)" : "");
    }

    private record WarningCollector(List<String> warnings) implements IIOReadWarningListener {
        @Override
        public void warningOccurred(ImageReader source, String warning) {
            warnings.add(warning);
        }
    }
}
