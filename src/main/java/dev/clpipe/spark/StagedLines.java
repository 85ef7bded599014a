package dev.clpipe.spark;

import dev.clpipe.data.CsvSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The per-run JSON Lines files ({@code *.jsonl}) that an executor's stages append to in its
 * staging folder. Every task of the executor shares those files, so they are never moved into
 * the run folder (a later part would replace an earlier one); instead, right after a stage has
 * processed a batch (while no other batch can reach that stage), the bytes it appended are read
 * back as that batch's lines and travel to the driver, which merges them ({@link MergedLines}).
 * A file belongs to the stage whose opening created it. CSV outputs ({@code faces-rejected.csv})
 * are committed only when their stage closes, so their rows are taken as they are written
 * ({@link CsvSink.RowTap}) and handed on the same way, with the file's header.
 */
final class StagedLines implements CsvSink.RowTap {
    private final Path root;
    private final List<Map<String, Long>> readUpTo = new ArrayList<>();
    private final List<Set<String>> csvOf = new ArrayList<>();
    private final Set<String> csvOpening = new TreeSet<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, List<String>> rows = new LinkedHashMap<>();
    private final Set<Path> files = new HashSet<>();

    StagedLines(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public synchronized void opened(Path target, String header) {
        String name = relative(target);
        headers.put(name, header);
        csvOpening.add(name);
        files.add(root.resolve(name));
    }

    @Override
    public synchronized void row(Path target, String line) {
        rows.computeIfAbsent(relative(target), k -> new ArrayList<>()).add(line);
    }

    private String relative(Path target) {
        Path p = target.toAbsolutePath().normalize();
        if (!p.startsWith(root)) throw new IllegalStateException("CSV output " + target + " is outside the staging folder " + root);
        return root.relativize(p).toString();
    }

    /** The CSV outputs' header lines, by file. */
    synchronized Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    /** Whether the file is a CSV output (its lines are CSV rows, not JSON). */
    synchronized boolean isCsv(String name) {
        return headers.containsKey(name);
    }

    /** The JSON Lines files in the staging folder now, relative to it; call before a stage opens. */
    Set<String> current() throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(name -> name.endsWith(".jsonl") && !Path.of(name).getFileName().toString().startsWith("."))
                    .forEach(out::add);
        }
        return out;
    }

    /** Records the files the stage just opened created (those not in {@code before}); stages register in plan order. */
    synchronized void opened(Set<String> before) throws IOException {
        Map<String, Long> own = new LinkedHashMap<>();
        for (String name : current()) {
            if (before.contains(name)) continue;
            own.put(name, 0L);
            files.add(root.resolve(name));
        }
        readUpTo.add(own);
        csvOf.add(Set.copyOf(csvOpening));
        csvOpening.clear();
    }

    /** Whether the file is one of the merged ones, which the staging folder must not move. */
    synchronized boolean isMerged(Path file) {
        return files.contains(file.toAbsolutePath().normalize());
    }

    /**
     * The whole lines stage {@code stage} appended since the last call, by file; call under the
     * stage's lock, also after a failed batch so its lines are not given to the next one.
     */
    Map<String, List<String>> take(int stage) throws IOException {
        Map<String, Long> own;
        Map<String, List<String>> out = new LinkedHashMap<>();
        synchronized (this) {
            own = readUpTo.get(stage);
            for (String csv : csvOf.get(stage)) {
                List<String> lines = rows.remove(csv);
                if (lines != null) out.put(csv, lines);
            }
        }
        for (Map.Entry<String, Long> file : own.entrySet()) {
            try (FileChannel ch = FileChannel.open(root.resolve(file.getKey()), StandardOpenOption.READ)) {
                long from = file.getValue();
                long size = ch.size();
                if (size <= from) continue;
                ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size - from));
                while (buf.hasRemaining() && ch.read(buf, from + buf.position()) >= 0) {
                    // JsonlSink writes each line with one unbuffered write, so what is there is whole lines
                }
                int end = buf.position();
                while (end > 0 && buf.get(end - 1) != '\n') end--;
                String text = new String(buf.array(), 0, end, StandardCharsets.UTF_8);
                file.setValue(from + end);
                List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
                lines.remove(lines.size() - 1); // after the last '\n'
                if (!lines.isEmpty()) out.put(file.getKey(), lines);
            }
        }
        return out;
    }
}
