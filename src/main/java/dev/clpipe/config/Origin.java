package dev.clpipe.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a config value came from: a YAML file position (1-based line and column) or a
 * command-line override such as {@code --set train.lr=0.1}.
 *
 * @param source what to show the user: the file path as given, or the override text
 * @param file   the YAML file, or {@code null} when the value did not come from a file
 * @param line   1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 */
public record Origin(String source, Path file, int line, int column) {

    public Origin {
        Objects.requireNonNull(source, "source");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0, got " + line + ":" + column);
        }
    }

    /** A position inside a YAML file. */
    public static Origin at(Path file, int line, int column) {
        return new Origin(file.toString(), file, line, column);
    }

    /** A whole file, position unknown. */
    public static Origin ofFile(Path file) {
        return new Origin(file.toString(), file, 0, 0);
    }

    /** A value that did not come from a file, e.g. {@code "--set a.b=1"}. */
    public static Origin of(String description) {
        return new Origin(description, null, 0, 0);
    }

    /** The YAML file this value was written in, if any. */
    public Optional<Path> sourceFile() {
        return Optional.ofNullable(file);
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }
}
