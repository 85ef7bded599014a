package dev.clpipe.config;

import java.nio.file.Path;
import java.util.Optional;

/** Path values: resolved against the YAML file that wrote them, or confined to a folder. */
final class PathReader {

    private final ScalarReader scalars;
    private final KeyReader reader;

    PathReader(ScalarReader scalars, KeyReader reader) {
        this.scalars = scalars;
        this.reader = reader;
    }

    Path path(String key) {
        String s = scalars.text(key, "a path", null);
        Path resolved = ConfigPaths.resolveRelative(reader.keys().originOf(key), s, reader.keys().keyPath(key));
        reader.keys().usedPath(key, resolved);
        return resolved;
    }

    Optional<Path> optionalPath(String key) {
        return reader.ifPresent(key, "a path", () -> path(key));
    }

    Path pathInside(String key, Path root) {
        String s = scalars.text(key, "a path inside " + root, null);
        return ConfigPaths.resolveInside(root, s, reader.keys().originOf(key), reader.keys().keyPath(key));
    }
}
