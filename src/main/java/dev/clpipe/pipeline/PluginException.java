package dev.clpipe.pipeline;

import java.nio.file.Path;

/** A plug-in jar that cannot be used (unreadable, no provider, a class that fails to load, a clashing name): exit 2. */
public final class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginException(Path jar, String problem) {
        super("plug-in " + jar + ": " + problem);
    }
}
