package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test JVMs run with libjsig preloaded (pom.xml), and with it the crash reproducer survives. */
class SignalChainingTest {

    @Test
    void theTestJvmHasSignalChaining() {
        assertTrue(SignalChaining.active(), "LD_PRELOAD=" + System.getenv("LD_PRELOAD") + "; " + SignalChaining.warning());
    }

    @Test
    void warningNamesTheLibraryOfThisJvmAndTheLauncher() {
        String warning = SignalChaining.warning();
        assertTrue(warning.contains(Path.of(System.getProperty("java.home"), "lib", "libjsig.so").toString()), warning);
        assertTrue(warning.contains("./clpipe"), warning);
        assertEquals(1, warning.lines().count());
    }

    /** Without chaining this child dies with SIGSEGV or its builds fail within a second or two (make crash-repro counts it). */
    @Test
    void compilingWhileSafepointsTrapNeitherCrashesNorBreaksBuilds() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                SignalHandlerStress.class.getName(), "3")).redirectErrorStream(true);
        Process child = pb.start(); // inherits LD_PRELOAD from this JVM's environment
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("signal chaining on") && output.contains("failed=0"), output);
    }
}
