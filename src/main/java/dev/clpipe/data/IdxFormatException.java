package dev.clpipe.data;

import java.io.IOException;

/** An IDX file is malformed; the message names the file and what was wrong. */
public final class IdxFormatException extends IOException {
    public IdxFormatException(String message) {
        super(message);
    }
}
