package dev.clpipe.spark;

import dev.clpipe.pipeline.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;

/**
 * An executor's private run folder ({@code RUN/_staging/executor-TIME/}) that stages write into;
 * {@link #publish} moves every finished file to the same relative path in the real run folder,
 * replacing what is there. Outputs are keyed by input path, so a retried task rewrites the same
 * files and a failed attempt leaves no extra ones; stages that refuse to overwrite never meet the
 * earlier attempt's file, because it has already moved on. Hidden names are temp files in flight.
 * Files every task appends to (the per-run JSON Lines) stay here: the driver merges them instead
 * ({@link StagedLines}, {@link MergedLines}), since moving them would let one part replace another.
 */
final class StagingFolder {
    static final String NAME = "_staging";
    private final Path target;
    private final RunFolder staging;

    private StagingFolder(Path target, RunFolder staging) {
        this.target = target;
        this.staging = staging;
    }

    static StagingFolder create(Path runFolder) throws IOException {
        return new StagingFolder(runFolder, RunFolder.create(runFolder.resolve(NAME), "executor", LocalDateTime.now()));
    }

    /** The folder stages see as their run folder. */
    RunFolder runFolder() {
        return staging;
    }

    /** Moves finished files, except those {@code stays} holds, to the run folder; returns how many moved. */
    synchronized int publish(java.util.function.Predicate<Path> stays) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(staging.path())) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !stays.test(p)).toList();
        }
        int moved = 0;
        for (Path file : files) {
            Path to = target.resolve(staging.path().relativize(file).toString());
            Files.createDirectories(to.getParent());
            try {
                move(file, to);
                moved++;
            } catch (NoSuchFileException gone) {
                // moved by an earlier call
            }
        }
        return moved;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes a run folder's staging area after the job (leftovers of failed attempts). */
    static void removeAll(Path runFolder) {
        Path root = runFolder.resolve(NAME);
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }
}
