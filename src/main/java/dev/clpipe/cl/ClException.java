package dev.clpipe.cl;

/** An OpenCL or device problem the user must act on; the CLI maps it to exit code 3. */
public class ClException extends RuntimeException {
    public ClException(String message) {
        super(message);
    }

    public ClException(String message, Throwable cause) {
        super(message, cause);
    }
}
