package dev.clpipe.pipeline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code completed.txt}: ids of source items every stage has finished, one per line, flushed
 * per batch. {@code --resume} skips them. A torn last line (crash mid-write) is ignored.
 */
final class Journal implements AutoCloseable {
    private final Set<String> completed = new HashSet<>();
    private final BufferedWriter writer;

    Journal(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n'); // only whole lines count
            if (end >= 0) {
                for (String line : text.substring(0, end).split("\n")) if (!line.isEmpty()) completed.add(line);
            }
        }
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    synchronized boolean isDone(String id) {
        return completed.contains(id);
    }

    synchronized int size() {
        return completed.size();
    }

    synchronized void markDone(Iterable<String> ids) throws IOException {
        for (String id : ids) {
            if (completed.add(id)) {
                writer.write(id.replace('\n', ' '));
                writer.write('\n');
            }
        }
        writer.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }
}
