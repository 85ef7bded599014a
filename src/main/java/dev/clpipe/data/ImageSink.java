package dev.clpipe.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes images under an output folder, each atomically (temp file + rename) and never over an
 * existing file unless {@code overwrite}. The extension of the given relative path is replaced by
 * the sink's format ({@code a/b.bmp} → {@code a/b.png}). JPEG has no alpha: RGBA is written as RGB.
 * Paths that would leave the output folder ({@code ../x}) are refused. PNG goes through
 * {@link PngEncoder} (zlib level chosen by the caller), JPEG through libjpeg-turbo when installed
 * (ImageIO otherwise; {@link #encoder()} says which). Thread-safe.
 */
public final class ImageSink {

    /** Output encoding. */
    public enum Format {
        PNG("png"),
        JPEG("jpg");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }

        /** Parses "png", "jpg" or "jpeg" (any case). */
        public static Format parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "png" -> PNG;
                case "jpg", "jpeg" -> JPEG;
                default -> throw new IllegalArgumentException("image format must be png or jpeg, got '" + s + "'");
            };
        }
    }

    private final Path root;
    private final Format format;
    private final float quality;
    private final boolean overwrite;
    private final PngEncoder png;

    /**
     * @param root      output folder (created on first write)
     * @param format    PNG or JPEG
     * @param quality   JPEG quality in (0,1], ignored for PNG
     * @param overwrite replace existing files instead of refusing them
     */
    public ImageSink(Path root, Format format, float quality, boolean overwrite) {
        this(root, format, quality, overwrite, PngEncoder.DEFAULT_LEVEL);
    }

    /**
     * @param pngLevel PNG zlib level 0..9 (default {@link PngEncoder#DEFAULT_LEVEL}), ignored for JPEG
     */
    public ImageSink(Path root, Format format, float quality, boolean overwrite, int pngLevel) {
        this.png = new PngEncoder(pngLevel);
        if (!(quality > 0f && quality <= 1f)) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + quality);
        }
        this.root = root.toAbsolutePath().normalize();
        this.format = format;
        this.quality = quality;
        this.overwrite = overwrite;
    }

    /** A PNG sink that refuses to overwrite. */
    public static ImageSink png(Path root) {
        return new ImageSink(root, Format.PNG, 1f, false);
    }

    /** The absolute path {@link #write} would use for {@code relative}. */
    public Path targetFor(Path relative) {
        String name = relative.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        Path rel = relative.resolveSibling(base + "." + format.extension());
        Path target = root.resolve(rel).normalize();
        if (rel.isAbsolute() || !target.startsWith(root) || target.equals(root)) {
            throw new IllegalArgumentException("output path " + relative + " leaves the output folder " + root);
        }
        return target;
    }

    /**
     * Encodes and writes one image.
     *
     * @return the absolute path written
     * @throws java.nio.file.FileAlreadyExistsException if it exists and overwrite is off
     */
    public Path write(Path relative, ImageData image) throws IOException {
        return store(relative, encode(image));
    }

    /**
     * The file bytes of {@code image} in this sink's format: the CPU half of {@link #write}, so a
     * caller can encode on CPU workers and {@link #store} on threads that may block on the disk.
     */
    public byte[] encode(ImageData image) throws IOException {
        ImageData img = format == Format.JPEG && image.hasAlpha() ? image.withChannels(3) : image;
        if (format == Format.PNG) return png.encode(img);
        if (DecoderChoice.turboAvailable()) return TurboJpegEncoder.encode(img, Math.max(1, Math.round(quality * 100)));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        encodeWithImageIo(img, out);
        return out.toByteArray();
    }

    /**
     * Writes bytes {@link #encode} made, atomically and forced to disk, under {@code relative} (its
     * extension replaced by the format's); the I/O half of {@link #write}.
     *
     * @return the absolute path written
     * @throws java.nio.file.FileAlreadyExistsException if it exists and overwrite is off
     */
    public Path store(Path relative, byte[] encoded) throws IOException {
        Path target = targetFor(relative);
        AtomicFiles.write(target, overwrite, encoded);
        return target;
    }

    /** The encoder that writes this sink's files: "png-libdeflate-N", "png-zlib-N", "libjpeg-turbo" or "imageio". */
    public String encoder() {
        if (format == Format.PNG) return "png-" + PngEncoder.deflater() + "-" + png.level();
        return DecoderChoice.turboAvailable() ? DecoderChoice.TURBO_NAME : DecoderChoice.IMAGEIO_NAME;
    }

    private void encodeWithImageIo(ImageData image, java.io.OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format == Format.PNG ? "png" : "jpeg");
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == Format.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(image.toBufferedImage(), null, null), param);
        } finally {
            writer.dispose();
        }
    }

    public Path root() {
        return root;
    }

    public Format format() {
        return format;
    }
}
