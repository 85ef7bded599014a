package dev.clpipe.data;

import java.util.Locale;
import java.util.Set;

/** Image container formats recognised by their leading bytes (magic numbers). */
public enum ImageFormat {
    PNG("png", true, Set.of("png")),
    JPEG("jpeg", true, Set.of("jpg", "jpeg", "jpe", "jfif")),
    GIF("gif", true, Set.of("gif")),
    BMP("bmp", true, Set.of("bmp", "dib")),
    TIFF("tiff", false, Set.of("tif", "tiff")),
    WEBP("webp", false, Set.of("webp"));

    private final String imageIoName;
    private final boolean decodable;
    private final Set<String> extensions;

    ImageFormat(String imageIoName, boolean decodable, Set<String> extensions) {
        this.imageIoName = imageIoName;
        this.decodable = decodable;
        this.extensions = extensions;
    }

    /** Format name understood by {@code ImageIO.getImageReadersByFormatName}. */
    public String imageIoName() {
        return imageIoName;
    }

    /** Whether {@link ImageDecoder} can decode this format. */
    public boolean decodable() {
        return decodable;
    }

    /** Lower-case file extensions (without dot) usually given to this format. */
    public Set<String> extensions() {
        return extensions;
    }

    /** True if {@code ext} (any case, without dot) is a usual extension of this format. */
    public boolean matchesExtension(String ext) {
        return extensions.contains(ext.toLowerCase(Locale.ROOT));
    }

    /**
     * Recognises a format from the first bytes of a file (at least 12 needed for WebP).
     *
     * @return the format, or {@code null} if no known signature matches
     */
    public static ImageFormat sniff(byte[] head) {
        if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(head, 'G', 'I', 'F', '8')) {
            return GIF;
        }
        if (startsWith(head, 'B', 'M') && head.length >= 26) {
            return BMP;
        }
        if (startsWith(head, 'I', 'I', 42, 0) || startsWith(head, 'M', 'M', 0, 42)) {
            return TIFF;
        }
        if (startsWith(head, 'R', 'I', 'F', 'F') && head.length >= 12
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return WEBP;
        }
        return null;
    }

    /** Lower-case extension of a file name without the dot, or "" if it has none. */
    public static String extensionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        return dot > slash && dot >= 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static boolean startsWith(byte[] data, int... magic) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
