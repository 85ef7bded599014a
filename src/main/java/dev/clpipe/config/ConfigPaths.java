package dev.clpipe.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Path safety for config values: resolving relative to the YAML file that wrote the value, and
 * refusing values that escape an allowed folder ({@code ../../etc/passwd}, absolute paths
 * elsewhere, symlinks pointing out).
 */
public final class ConfigPaths {

    private ConfigPaths() {
    }

    /** {@code value} resolved against the folder of the YAML file in {@code origin} (the working directory for overrides). */
    public static Path resolveRelative(Origin origin, String value, String keyPath) {
        Path p = toPath(value, origin, keyPath);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        Path folder = origin.sourceFile().map(Path::toAbsolutePath).map(Path::getParent)
                .orElse(Path.of("").toAbsolutePath());
        return folder.resolve(p).normalize();
    }

    /** {@code value} resolved against {@code yamlFile}'s folder. */
    public static Path resolveRelative(Path yamlFile, String value) {
        return resolveRelative(Origin.ofFile(yamlFile), value, "");
    }

    /** {@code value} resolved against {@code root}; refused unless the result lies inside {@code root}. */
    public static Path resolveInside(Path root, String value) {
        return resolveInside(root, value, Origin.of(value), "");
    }

    /** As {@link #resolveInside(Path, String)}, with the origin and key to name in the error. */
    public static Path resolveInside(Path root, String value, Origin origin, String keyPath) {
        Path resolved = root.toAbsolutePath().resolve(toPath(value, origin, keyPath)).normalize();
        if (!isInside(root, resolved)) {
            throw new ConfigException(origin, keyPath, "path '" + value + "' escapes the allowed folder "
                    + root.toAbsolutePath().normalize() + "; use a path inside it");
        }
        return resolved;
    }

    /** True when {@code candidate} lies inside one of {@code roots} (after normalising and following symlinks). */
    public static boolean isInsideAny(Collection<Path> roots, Path candidate) {
        return roots.stream().anyMatch(r -> isInside(r, candidate));
    }

    /** True when {@code candidate} is {@code root} or below it, lexically and after following symlinks. */
    public static boolean isInside(Path root, Path candidate) {
        Path r = root.toAbsolutePath().normalize();
        Path c = candidate.toAbsolutePath().normalize();
        if (!c.startsWith(r)) {
            return false;
        }
        return real(c).startsWith(real(r));
    }

    /** The real path of the deepest existing ancestor, with the not-yet-existing rest appended. */
    private static Path real(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(p)).normalize();
        } catch (IOException e) {
            return p;
        }
    }

    private static Path toPath(String value, Origin origin, String keyPath) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(origin, keyPath, "expected a path, found an empty string");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(origin, keyPath, "expected a path, found \"" + value + "\" (" + e.getReason() + ")");
        }
    }
}
