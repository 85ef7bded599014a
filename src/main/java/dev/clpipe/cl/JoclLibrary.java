package dev.clpipe.cl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jocl.CL;

/**
 * Loads JOCL's native library from a copy no other process writes. By default JOCL extracts it to
 * one fixed name in {@code java.io.tmpdir} and writes that file whenever it finds it missing; two
 * JVMs starting together on one tmpdir (Spark executors, parallel tests) can both find it missing,
 * and the later one truncates and rewrites the file the earlier one has already loaded. Linux
 * then drops the earlier process's relocated pages of the library (even private copies, as for
 * any truncated file) and reads them back unrelocated, so the next library it loads by name dies
 * in the dynamic loader (issue 16: SIGSEGV in ld-linux under clGetPlatformIDs). JOCL's
 * {@code uniqueLibraryNames} gives each JVM its own file; once loaded it is deleted (the mapping
 * stays), so a killed process leaves nothing behind in tmpdir.
 */
public final class JoclLibrary {
    /** JOCL's per-process name: the fixed name followed by a random UUID. */
    private static final Pattern PRIVATE_COPY =
            Pattern.compile(".*/libJOCL_[^/]*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.so");
    private static boolean loaded;

    private JoclLibrary() {}

    /** Loads the library once per JVM; every OpenCL call in clpipe comes after this. */
    public static synchronized void load() {
        if (loaded) return;
        if (System.getProperty("uniqueLibraryNames") == null) System.setProperty("uniqueLibraryNames", "true");
        CL.setExceptionsEnabled(true); // initialises org.jocl.CL, which extracts and loads the library
        mappedCopy().filter(p -> PRIVATE_COPY.matcher(p.toString()).matches()).ifPresent(JoclLibrary::deleteQuietly);
        loaded = true;
    }

    /** The library file this process mapped, when the platform shows it (Linux: /proc/self/maps). */
    public static Optional<Path> mappedCopy() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(line -> line.contains("/libJOCL_"))
                    .map(line -> line.substring(line.indexOf('/')).replace(" (deleted)", ""))
                    .map(Path::of)
                    .findFirst();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty(); // not Linux: JOCL deletes its copy when the JVM exits
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // JOCL's shutdown hook deletes it at exit; a read-only tmpdir is no reason to fail
        }
    }
}
