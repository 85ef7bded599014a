package dev.clpipe.spark;

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
 * A file belongs to the stage whose opening created it.
 */
final class StagedLines {
    private final Path root;
    private final List<Map<String, Long>> readUpTo = new ArrayList<>();
    private final Set<Path> files = new HashSet<>();

    StagedLines(Path root) {
        this.root = root;
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
    }

    /** Whether the file is one of the merged ones, which the staging folder must not move. */
    synchronized boolean isMerged(Path file) {
        return files.contains(file);
    }

    /**
     * The whole lines stage {@code stage} appended since the last call, by file; call under the
     * stage's lock, also after a failed batch so its lines are not given to the next one.
     */
    Map<String, List<String>> take(int stage) throws IOException {
        Map<String, Long> own;
        synchronized (this) {
            own = readUpTo.get(stage);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
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
