package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.testing.TestDevices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's executor crash: a JVM's JOCL library file rewritten in place by another JVM. Each
 * process now loads a private copy and unlinks it, so nothing another process writes reaches it.
 */
class JoclLibraryTest {
    private static final String SHARED_NAME = "libJOCL_2_0_6-linux-x86_64.so";

    @Test
    void theLoadedLibraryIsAPrivateCopyAlreadyGoneFromDisk() {
        ClPlatforms.discover();
        Path mapped = JoclLibrary.mappedCopy().orElseThrow();
        assertTrue(mapped.getFileName().toString().matches("libJOCL_.*-[0-9a-f-]{36}\\.so"), mapped.toString());
        assertFalse(Files.exists(mapped), mapped + " is still on disk, where another process could rewrite it");
        assertNotEquals(Path.of(System.getProperty("java.io.tmpdir"), SHARED_NAME), mapped);
    }

    /** Before the fix the child died with SIGSEGV in ld-linux (exit 134) every time. */
    @Test
    void aChildSurvivesEveryJoclFileInItsTmpdirBeingRewrittenWhileLoaded(@TempDir Path tmp)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Djava.io.tmpdir=" + tmp,
                        "-cp", System.getProperty("java.class.path"), NativeLibraryRewrite.class.getName()))
                .redirectErrorStream(true)
                .start(); // inherits LD_PRELOAD (libjsig) and POCL_CACHE_DIR from this JVM
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = child.getOutputStream()) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("mapped ")) output.append(line).append('\n');
            output.append(line).append('\n');
            // What a second JVM's JOCL does when it finds the shared name missing: truncate and write it.
            byte[] library = joclLibraryBytes();
            List<Path> rewritten = rewriteAll(tmp, library);
            Files.write(tmp.resolve(SHARED_NAME), library);
            output.append("rewrote ").append(rewritten).append('\n');
            in.write('\n');
            in.flush();
            while ((line = out.readLine()) != null) output.append(line).append('\n');
        }
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), output.toString());
        assertEquals(0, child.exitValue(), output.toString());
        assertTrue(output.toString().contains("survived"), output.toString());
    }

    /** Spark runs each task on a new thread and opens a runtime per job: open, run, close, again. */
    @Test
    void runtimesOpenedAndClosedAgainAndAgainOnNewThreadsKeepWorking() throws InterruptedException {
        String spec = System.getProperty("clpipe.test.device", TestDevices.underOclgrind() ? "name~Oclgrind" : "cpu");
        int rounds = TestDevices.underOclgrind() ? 3 : 25;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int round = 0; round < rounds && failure.get() == null; round++) {
            int n = 17 + round;
            Thread thread = new Thread(() -> {
                try (ClContext context = ClRuntime.standard().openOne(spec)) {
                    assertNull(SelfTest.kernelError(context, n));
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "reopen-" + round);
            thread.start();
            thread.join();
        }
        if (failure.get() != null) throw new AssertionError(failure.get());
    }

    private static byte[] joclLibraryBytes() throws IOException {
        try (InputStream library = org.jocl.CL.class.getResourceAsStream("/lib/" + SHARED_NAME)) {
            return library.readAllBytes();
        }
    }

    /** Truncates and rewrites every JOCL library file in the folder; the files rewritten. */
    private static List<Path> rewriteAll(Path folder, byte[] library) throws IOException {
        List<Path> rewritten = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "libJOCL*.so")) {
            for (Path file : files) {
                Files.write(file, library);
                rewritten.add(file);
            }
        }
        return rewritten;
    }
}
