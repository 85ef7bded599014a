package dev.clpipe.data;

/**
 * A codec the configuration asked for by name ({@code decoder: turbo}) is not installed; the
 * message says what exists and how to install the rest. The CLI exits 3, as for a missing device.
 */
public final class CodecUnavailableException extends RuntimeException {
    public CodecUnavailableException(String message) {
        super(message);
    }
}
