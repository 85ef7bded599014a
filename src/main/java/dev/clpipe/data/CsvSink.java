package dev.clpipe.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a CSV file (header + rows, RFC 4180 escaping, LF line ends) atomically: rows go to a temp
 * file that replaces the target only on {@link #close()}, so a crash never leaves half a CSV.
 * Refuses an existing target unless overwrite is asked; checked at open and again on commit.
 * Thread-safe.
 */
public final class CsvSink implements AutoCloseable {
    private final Path target;
    private final boolean overwrite;
    private final int columns;
    private final Path tmp;
    private final BufferedWriter out;
    private final RowTap tap;
    private long rows;
    private boolean closed;

    /** Sees every line written, as it is written (a Spark executor hands them to the driver). */
    public interface RowTap {
        /** The sink for {@code target} opened; {@code header} is its first line, without '\n'. */
        void opened(Path target, String header);

        /** A row was written to {@code target}; {@code line} without '\n'. */
        void row(Path target, String line);
    }

    public CsvSink(Path target, List<String> header, boolean overwrite) throws IOException {
        this(target, header, overwrite, null);
    }

    /** @param tap sees the header and every row; null: none */
    public CsvSink(Path target, List<String> header, boolean overwrite, RowTap tap) throws IOException {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("CSV header must have at least one column");
        }
        this.target = target.toAbsolutePath();
        this.overwrite = overwrite;
        this.columns = header.size();
        this.tmp = AtomicFiles.createTemp(this.target, overwrite);
        this.out = new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(tmp, StandardOpenOption.WRITE), StandardCharsets.UTF_8));
        out.write(Csv.line(header));
        out.write('\n');
        this.tap = tap;
        if (tap != null) tap.opened(this.target, Csv.line(header));
    }

    /** Appends one row; it must have as many fields as the header. */
    public synchronized void row(List<?> fields) throws IOException {
        if (closed) {
            throw new IllegalStateException("CSV sink for " + target + " is closed");
        }
        if (fields.size() != columns) {
            throw new IllegalArgumentException("row has " + fields.size() + " fields, header has " + columns
                    + " (" + target.getFileName() + ")");
        }
        String line = Csv.line(fields);
        out.write(line);
        out.write('\n');
        rows++;
        if (tap != null) tap.row(target, line);
    }

    public void row(Object... fields) throws IOException {
        row(Arrays.asList(fields));
    }

    public synchronized long rows() {
        return rows;
    }

    public Path target() {
        return target;
    }

    /** Drops everything written: the target is left as it was. */
    public synchronized void abort() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
            Files.deleteIfExists(tmp);
        }
    }

    /** Commits: the target appears (or is replaced) with all rows at once. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
            AtomicFiles.commit(tmp, target, overwrite);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
