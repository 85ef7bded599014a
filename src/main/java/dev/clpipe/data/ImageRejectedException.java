package dev.clpipe.data;

/**
 * An input file was refused. Carries the file, a {@link RejectReason} and a short human detail;
 * {@link #getMessage()} reads {@code "<file>: <detail>"}.
 */
public final class ImageRejectedException extends Exception {
    private final String file;
    private final RejectReason reason;
    private final String detail;

    public ImageRejectedException(String file, RejectReason reason, String detail) {
        this(file, reason, detail, null);
    }

    public ImageRejectedException(String file, RejectReason reason, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
        this.reason = reason;
        this.detail = detail;
    }

    /** The file as the caller named it (usually a root-relative path). */
    public String file() {
        return file;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The message without the file name. */
    public String detail() {
        return detail;
    }
}
