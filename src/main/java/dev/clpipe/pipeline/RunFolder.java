package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigException;
import dev.clpipe.config.Origin;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The self-contained folder a run leaves behind: {@code OUT/NAME-yyyyMMdd-HHmmss/} with the
 * resolved config, run.json, metrics.json, log.txt, skipped.csv and the outputs. A new run never
 * reuses an existing folder; {@code --resume} reopens one on purpose.
 */
public final class RunFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private final Path path;
    private final boolean resumed;

    private RunFolder(Path path, boolean resumed) {
        this.path = path;
        this.resumed = resumed;
    }

    public static RunFolder create(Path out, String name, LocalDateTime now) throws IOException {
        Files.createDirectories(out);
        String base = name + "-" + STAMP.format(now);
        for (int attempt = 1; ; attempt++) {
            Path candidate = out.resolve(attempt == 1 ? base : base + "-" + attempt);
            try {
                Files.createDirectory(candidate); // atomic: two runs in one second get different folders
                return new RunFolder(candidate, false);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 1000) throw e;
            }
        }
    }

    /** A fresh run in a folder made beforehand (by a Spark driver); it must exist and hold no run yet. */
    public static RunFolder into(Path made) {
        if (!Files.isDirectory(made) || Files.isRegularFile(made.resolve("run.json"))) {
            throw new ConfigException(Origin.of("run folder " + made), "", Files.isDirectory(made) ? "already holds a run (run.json)" : "no such folder");
        }
        return new RunFolder(made, false);
    }

    /** Reopens a run folder to continue it; it must be one (it has a run.json). */
    public static RunFolder resume(Path existing) {
        if (!Files.isRegularFile(existing.resolve("run.json"))) {
            throw new ConfigException(Origin.of("--resume " + existing), "", Files.isDirectory(existing)
                    ? "not a run folder (no run.json)" : "no such folder");
        }
        return new RunFolder(existing, true);
    }

    public Path path() {
        return path;
    }

    public boolean resumed() {
        return resumed;
    }

    /** A file inside the run folder. */
    public Path file(String name) {
        return path.resolve(name);
    }
}
