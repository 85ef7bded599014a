package dev.clpipe.testing;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;

/**
 * The OpenCL device tests run on: one context per test JVM, opened on first use and closed at
 * exit. {@code -Dclpipe.test.device=SPEC} picks another device (default {@code cpu}, or
 * {@code name~Oclgrind} under {@code -Dclpipe.test.small=true}, where the Oclgrind ICD is the only
 * platform and reports itself as a GPU). There is no
 * skip: a machine without OpenCL fails these tests, because {@code make setup} installs PoCL.
 */
public final class TestDevices {
    private static ClContext shared;

    private TestDevices() {}

    public static synchronized ClContext context() {
        if (shared == null) {
            String fallback = underOclgrind() ? "name~Oclgrind" : "cpu";
            shared = ClRuntime.standard().openOne(System.getProperty("clpipe.test.device", fallback));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** True under {@code make kernel-check} (Oclgrind): tests keep shapes small there. */
    public static boolean underOclgrind() {
        return Boolean.getBoolean("clpipe.test.small");
    }
}
