package dev.clpipe.data;

/**
 * Why an input file was refused. {@link #code()} is the stable machine-readable value written to
 * {@code skipped.csv}; never rename a code, add new ones instead.
 */
public enum RejectReason {
    /** The file has zero bytes. */
    EMPTY("empty"),
    /** The content starts with no known image signature (e.g. a text file named .jpg). */
    NOT_IMAGE("not_image"),
    /** A recognised image format that this build cannot decode (TIFF, WebP, ...). */
    UNSUPPORTED_FORMAT("unsupported_format"),
    /** A decodable image whose colour model is not supported (e.g. CMYK/YCCK JPEG). */
    UNSUPPORTED_COLOR("unsupported_color"),
    /** The extension names another format than the content (only when decoding strictly). */
    WRONG_EXTENSION("wrong_extension"),
    /** The header declares more pixels, or a longer side, than the configured limit. */
    TOO_LARGE("too_large"),
    /** The file is larger on disk than the configured byte limit. */
    FILE_TOO_LARGE("file_too_large"),
    /** The data ends before the format's end marker (PNG IEND, JPEG EOI, GIF trailer, BMP pixels). */
    TRUNCATED("truncated"),
    /** The decoder failed on the content. */
    CORRUPT("corrupt"),
    /** The file could not be read. */
    IO_ERROR("io_error"),
    /** A symbolic link that points outside the source root. */
    SYMLINK_ESCAPE("symlink_escape"),
    /** A FIFO, socket or device (or a link to one): never opened, as reading a FIFO could block forever. */
    NOT_REGULAR_FILE("not_regular_file"),
    /** A file name that is not valid in the encoding the JVM reads file names in (e.g. invalid UTF-8 bytes). */
    INVALID_NAME("invalid_name");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** Stable machine-readable code, e.g. {@code "truncated"}. */
    public String code() {
        return code;
    }
}
