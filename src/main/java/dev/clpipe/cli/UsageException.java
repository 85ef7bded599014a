package dev.clpipe.cli;

/** Wrong command-line use; exit code 2 and a pointer to {@code --help}. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
