package dev.clpipe.cl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Whether the JVM's signal handlers survive native OpenCL drivers. PoCL compiles kernels with
 * LLVM, which installs its own SIGSEGV/SIGBUS/SIGILL handlers (reset-on-delivery) over the JVM's;
 * the JVM takes SIGSEGV routinely (safepoint polls, implicit null checks), so a second trap
 * before LLVM restores the JVM's handler kills the process without a crash log. {@code libjsig.so}
 * preloaded from the JVM's own {@code lib/} keeps the JVM's handlers in place and chains to the
 * driver's: the {@code ./clpipe} launcher, the Maven test JVMs and Spark executors preload it.
 */
public final class SignalChaining {
    private static final Logger LOG = LogManager.getLogger(SignalChaining.class);
    private static volatile boolean checked;

    private SignalChaining() {}

    /** True when libjsig is mapped into this process (Linux: /proc/self/maps). */
    public static boolean active() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("/libjsig.so");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The library this JVM would need preloaded. */
    public static Path library() {
        return Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    }

    /** The one line that says what is missing and how to start clpipe safely. */
    static String warning() {
        return "signal chaining is off (" + library() + " is not preloaded): an OpenCL driver built on LLVM (PoCL) can replace "
                + "the JVM's SIGSEGV handler and kill this process; start clpipe with ./clpipe, or set LD_PRELOAD=" + library();
    }

    /** Warns once per process, before the first OpenCL platform is loaded, when chaining is absent on Linux. */
    static void checkBeforeLoadingPlatforms() {
        if (checked) return;
        checked = true;
        if (!Files.isReadable(Path.of("/proc/self/maps"))) return; // not Linux: libjsig is preloaded differently there
        if (!active()) LOG.warn("{}", warning());
    }
}
