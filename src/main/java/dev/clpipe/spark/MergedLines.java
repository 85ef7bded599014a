package dev.clpipe.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The per-run JSON Lines files of a Spark run, merged on the driver from every task's parts
 * (a Spark accumulator: only successful attempts count, so a retried task adds its lines once).
 * Each file lists its images in the one-machine walk order, each image's lines as its stage wrote
 * them, which is the order {@code clpipe run} writes, so the files are byte-equal to its. A CSV
 * file starts with its header (sent by every task, written once).
 */
final class MergedLines implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The index of a CSV file's header part: sorts first; every task sends it, one is written. */
    static final long HEADER = -1;
    private final CollectionAccumulator<LinePart> parts;

    MergedLines(SparkContext sc) {
        parts = sc.collectionAccumulator("clpipe.lines");
    }

    void add(LinePart part) {
        parts.add(part);
    }

    /** Writes every file into the run folder (each through a temp file, then moved); the files' names. */
    List<String> writeTo(Path runFolder) throws IOException {
        return write(parts.value(), runFolder);
    }

    /** Writes the parts' files into the run folder, images in index order; the files' names. */
    static List<String> write(List<LinePart> parts, Path runFolder) throws IOException {
        Map<String, List<LinePart>> byFile = new TreeMap<>();
        List<LinePart> all = new ArrayList<>(parts);
        all.sort(Comparator.comparingLong(LinePart::index)); // stable: an image's parts keep their order
        for (LinePart p : all) byFile.computeIfAbsent(p.file(), k -> new ArrayList<>()).add(p);
        for (Map.Entry<String, List<LinePart>> file : byFile.entrySet()) {
            Path target = runFolder.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".merging");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                boolean headed = false;
                for (LinePart p : file.getValue()) {
                    if (p.index() == HEADER) {
                        if (headed) continue;
                        headed = true;
                    }
                    for (String line : p.lines()) {
                        w.write(line);
                        w.write('\n');
                    }
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return List.copyOf(byFile.keySet());
    }
}
