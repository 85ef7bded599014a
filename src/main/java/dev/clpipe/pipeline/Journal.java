package dev.clpipe.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code completed.txt}: ids of source items every stage has finished, one escaped id per line
 * (see {@link #escape}), appended and synced to disk as each batch finishes, so a crash loses
 * nothing that was reported done. {@code --resume} skips them. A torn last line (crash
 * mid-write) is ignored and cut off before appending.
 */
final class Journal implements AutoCloseable {
    private final Set<String> completed = new HashSet<>();
    private final FileChannel channel;

    Journal(Path file) throws IOException {
        this(file, false);
    }

    /** {@code forget}: start the journal empty (a resume that redoes every item). */
    Journal(Path file, boolean forget) throws IOException {
        long whole = 0;
        if (!forget && Files.isRegularFile(file)) {
            byte[] bytes = Files.readAllBytes(file);
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') continue;
                if (i > start) completed.add(unescape(new String(bytes, start, i - start, StandardCharsets.UTF_8)));
                start = i + 1;
            }
            whole = start; // bytes after the last '\n' are a torn line
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(whole);
        channel.position(whole);
    }

    synchronized boolean isDone(String id) {
        return completed.contains(id);
    }

    synchronized int size() {
        return completed.size();
    }

    /** Appends the ids not yet recorded and forces them to disk before returning. */
    synchronized void markDone(Iterable<String> ids) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (String id : ids) {
            if (completed.add(id)) lines.append(escape(id)).append('\n');
        }
        if (lines.isEmpty()) return;
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) channel.write(bytes);
        channel.force(false);
    }

    /**
     * One line per id whatever it holds: backslash, control characters (newline, CR, ...) and
     * UTF-16 surrogates (which UTF-8 cannot carry alone) become {@code \\uXXXX}, backslash itself
     * {@code \\\\}. Everything else is written as UTF-8, so plain names stay readable.
     */
    static String escape(String id) {
        StringBuilder out = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Inverse of {@link #escape}. */
    static String unescape(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '\\' || i + 1 >= line.length()) {
                out.append(c);
            } else if (line.charAt(i + 1) == 'u' && i + 6 <= line.length() && line.substring(i + 2, i + 6).matches("[0-9a-fA-F]{4}")) {
                out.append((char) Integer.parseInt(line.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(line.charAt(i + 1));
                i++;
            }
        }
        return out.toString();
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
