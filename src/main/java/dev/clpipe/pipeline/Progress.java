package dev.clpipe.pipeline;

import java.io.PrintStream;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Progress of a stream or job: a redrawn bar with rate and ETA on a terminal, a log line every
 * ten seconds otherwise (CI logs, files). Counting is thread-safe; drawing is rate-limited. A
 * pipeline's stream counts items its last stage finished; its total is known once the source has
 * walked the input (until then the bar shows the count and rate).
 */
public final class Progress {
    private static final Logger LOG = LogManager.getLogger(Progress.class);
    private static final long TERMINAL_REDRAW_NS = 200_000_000L;
    private static final long LOG_LINE_NS = 10_000_000_000L;
    /** ANSI erase-to-end-of-line: understood by terminals and tmux alike. */
    private static final String CLEAR_TO_END = "\u001b[K";

    private final String label;
    private final PrintStream terminal; // null when not a terminal
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile long total = -1;
    private long lastDraw;

    public Progress(String label, OptionalLong total, boolean onTerminal) {
        this(label, total, onTerminal ? System.err : null);
    }

    /** {@code terminal}: where the bar is redrawn, null for log lines. */
    Progress(String label, OptionalLong total, PrintStream terminal) {
        this.label = label;
        this.terminal = terminal;
        total.ifPresent(t -> this.total = t);
        this.lastDraw = start;
    }

    /** A bar when stderr is an interactive terminal, else log lines. */
    public static Progress forStream(String label, OptionalLong total) {
        return new Progress(label, total, System.console() != null && System.getenv("CI") == null);
    }

    public void setTotal(long total) {
        this.total = total;
    }

    public void advance(long items) {
        long now = System.nanoTime();
        long count = done.addAndGet(items);
        synchronized (this) {
            long interval = terminal != null ? TERMINAL_REDRAW_NS : LOG_LINE_NS;
            if (now - lastDraw < interval) return;
            lastDraw = now;
            show(count, now, false);
        }
    }

    public long done() {
        return done.get();
    }

    public synchronized void finish() {
        show(done.get(), System.nanoTime(), true);
    }

    private void show(long count, long now, boolean last) {
        String line = line(count, (now - start) / 1e9, total);
        if (terminal != null) {
            terminal.print("\r" + line + CLEAR_TO_END + (last ? "\n" : "")); // no leftover characters of a longer line
            terminal.flush();
        } else {
            LOG.info("{}", line);
        }
    }

    /** e.g. {@code decode [#########-----------]  45% 4,500/10,000  812.3/s  ETA 6s}. */
    String line(long count, double seconds, long knownTotal) {
        double rate = seconds > 0 ? count / seconds : 0;
        StringBuilder text = new StringBuilder(label).append(' ');
        if (knownTotal > 0) {
            int width = 24;
            int filled = (int) Math.min(width, width * count / knownTotal);
            text.append('[').append("#".repeat(filled)).append("-".repeat(width - filled)).append("] ");
            text.append(String.format("%3d%% %,d/%,d", Math.min(100, 100 * count / knownTotal), count, knownTotal));
        } else {
            text.append(String.format("%,d", count));
        }
        text.append(String.format("  %.1f/s", rate));
        if (knownTotal > 0 && rate > 0 && count < knownTotal) {
            text.append("  ETA ").append(duration((knownTotal - count) / rate));
        } else {
            text.append("  ").append(duration(seconds));
        }
        return text.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
