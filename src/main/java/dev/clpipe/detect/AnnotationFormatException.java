package dev.clpipe.detect;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A malformed annotation file. The message starts with the file and where in it:
 * {@code path:LINE: …} for line-based formats, {@code path: ELEMENT: …} for XML and JSON
 * (e.g. {@code annotation/object[2]/bndbox/xmin}, {@code annotations[3].bbox}).
 */
public class AnnotationFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public AnnotationFormatException(String message) {
        super(message);
    }

    public AnnotationFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    static AnnotationFormatException atLine(Path file, int line, String what) {
        return new AnnotationFormatException(file + ":" + line + ": " + what);
    }

    static AnnotationFormatException at(Path file, String element, String what) {
        return new AnnotationFormatException(file + ": " + element + ": " + what);
    }
}
