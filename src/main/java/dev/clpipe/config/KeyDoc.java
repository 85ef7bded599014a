package dev.clpipe.config;

import java.util.Objects;

/**
 * What a stage said about one of its keys: what it expects, its default and a description,
 * gathered as the stage reads its section (for {@code clpipe validate} and help output).
 *
 * @param path         full key path, e.g. {@code train.epochs}
 * @param expected     e.g. {@code an integer from 1 to 100000}
 * @param defaultValue the default as text, or null when the key is required
 * @param description  the stage's description, or the empty string
 */
public record KeyDoc(String path, String expected, String defaultValue, String description) {

    public KeyDoc {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(description, "description");
    }

    public boolean required() {
        return defaultValue == null;
    }

    @Override
    public String toString() {
        return path + ": " + expected + (required() ? " (required)" : " (default " + defaultValue + ")")
                + (description.isEmpty() ? "" : " - " + description);
    }
}
