package dev.clpipe.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one JSON object per line (JSON Lines). Each line is serialised first, then written with
 * one positioned write and no user-space buffer, so a crash loses at most the line being written.
 * Opening an existing file appends to it; if its last line was cut short by an earlier crash
 * (no final newline), that partial line is removed first. Thread-safe.
 */
public final class JsonlSink implements AutoCloseable {
    private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();

    private final Path file;
    private final ObjectMapper mapper;
    private final FileChannel channel;
    private final long droppedBytes;
    private long lines;

    public JsonlSink(Path file) throws IOException {
        this(file, DEFAULT_MAPPER);
    }

    public JsonlSink(Path file, ObjectMapper mapper) throws IOException {
        this.file = file.toAbsolutePath();
        this.mapper = mapper;
        Files.createDirectories(this.file.getParent());
        this.channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        this.droppedBytes = dropPartialLastLine();
        channel.position(channel.size());
    }

    /** Truncates the file after its last '\n' (scanning backwards in 8 KiB blocks). */
    private long dropPartialLastLine() throws IOException {
        long size = channel.size();
        long end = size;
        ByteBuffer block = ByteBuffer.allocate(8192);
        scan:
        while (end > 0) {
            long from = Math.max(0, end - block.capacity());
            block.clear().limit((int) (end - from));
            while (block.hasRemaining()) {
                if (channel.read(block, from + block.position()) < 0) {
                    break;
                }
            }
            for (int i = block.position() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    end = from + i + 1;
                    break scan;
                }
            }
            end = from;
        }
        if (end < size) {
            channel.truncate(end);
        }
        return size - end;
    }

    /**
     * Reopens {@code file} for a resumed run: first keeps only the lines whose {@code "image"} was
     * finished ({@code done}), atomically, so items redone after a crash are not listed twice.
     */
    public static JsonlSink resuming(Path file, java.util.function.Predicate<String> done) throws IOException {
        if (Files.isRegularFile(file)) {
            StringBuilder kept = new StringBuilder();
            for (String line : Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)) {
                if (line.isEmpty()) continue;
                try {
                    if (done.test(DEFAULT_MAPPER.readTree(line).path("image").asText())) kept.append(line).append('\n');
                } catch (com.fasterxml.jackson.core.JsonProcessingException tornLine) {
                    // a line cut short by the crash: its item is redone
                }
            }
            AtomicFiles.write(file, true, kept.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new JsonlSink(file);
    }

    /** Bytes of a cut-short last line removed when the file was opened (0 normally). */
    public long droppedBytes() {
        return droppedBytes;
    }

    /** Writes {@code value} (a Map, a record, a JsonNode, ...) as one line. */
    public synchronized void write(Object value) throws IOException {
        byte[] json = mapper.writeValueAsBytes(value);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        for (byte b : json) {
            if (b == '\n') {
                throw new IllegalArgumentException("mapper produced a multi-line value; disable INDENT_OUTPUT");
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        lines++;
    }

    /** Lines written by this sink (not counting lines already in the file). */
    public synchronized long lines() {
        return lines;
    }

    /** Forces written lines to the storage device (survives a power loss, not only a crash). */
    public synchronized void sync() throws IOException {
        channel.force(false);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel.isOpen()) {
            channel.force(false);
            channel.close();
        }
    }
}
