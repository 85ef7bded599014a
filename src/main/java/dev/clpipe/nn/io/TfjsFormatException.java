package dev.clpipe.nn.io;

import java.io.IOException;

/**
 * A model weight file that cannot be used: malformed manifest, missing or truncated shard,
 * unsupported dtype, or a tensor whose shape does not fit the network. The message names the
 * file and the tensor.
 */
public class TfjsFormatException extends IOException {
    public TfjsFormatException(String message) {
        super(message);
    }

    public TfjsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
