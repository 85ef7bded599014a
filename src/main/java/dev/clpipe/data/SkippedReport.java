package dev.clpipe.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe collector of the input files a run skipped, written as {@code skipped.csv} with the
 * header {@code file,reason,message}. Entries keep their arrival order.
 */
public final class SkippedReport {
    /** One skipped file: its name, the reason code (see {@link RejectReason#code()}) and a message. */
    public record Entry(String file, String reason, String message) {
    }

    public static final List<String> HEADER = List.of("file", "reason", "message");

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    public void add(String file, String reasonCode, String message) {
        entries.add(new Entry(file, reasonCode, message));
        counts.computeIfAbsent(reasonCode, k -> new LongAdder()).increment();
    }

    public void add(String file, RejectReason reason, String message) {
        add(file, reason.code(), message);
    }

    /** Records a decoder refusal (its detail message, without the repeated file name). */
    public void add(ImageRejectedException e) {
        add(e.file(), e.reason(), e.detail());
    }

    /** Number of skipped files. */
    public long size() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Skips per reason code, sorted by code. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** A snapshot of the entries in arrival order. */
    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** Writes the CSV atomically (header even when empty), replacing any existing file. */
    public void writeCsv(Path file) throws IOException {
        try (CsvSink sink = new CsvSink(file, HEADER, true)) {
            for (Entry e : entries) {
                sink.row(e.file(), e.reason(), e.message());
            }
        }
    }

    /** e.g. "3 skipped (not_image=1, truncated=2)". */
    public String summary() {
        Map<String, Long> c = counts();
        if (c.isEmpty()) {
            return "0 skipped";
        }
        StringBuilder sb = new StringBuilder().append(size()).append(" skipped (");
        c.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ").append(k).append('=').append(v));
        return sb.append(')').toString();
    }
}
