package dev.clpipe.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The process that runs a run folder, as run.json records it ({@code pid}, {@code error_file}:
 * where the JVM would write its crash log), and what a later run learns from it: a folder whose
 * run.json still says {@code running} while its process is gone was left by a crash. The JVM's
 * crash log ({@code -XX:ErrorFile}, set by ./clpipe) is then moved into that folder.
 */
final class ProcessRecord {
    private ProcessRecord() {}

    /** {@code pid} and {@code error_file} of this process, for run.json. */
    static Map<String, Object> current() {
        Map<String, Object> json = new LinkedHashMap<>();
        long pid = ProcessHandle.current().pid();
        json.put("pid", pid);
        json.put("error_file", errorFile(pid).toString());
        return json;
    }

    /** Where this JVM writes its crash log: {@code -XX:ErrorFile} with %p expanded, else hs_err_pidN.log in the working folder. */
    static Path errorFile(long pid) {
        String pattern = "";
        try {
            pattern = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("ErrorFile").getValue();
        } catch (RuntimeException notHotSpot) {
            // another JVM: its default below
        }
        if (pattern.isBlank()) return Path.of("hs_err_pid" + pid + ".log").toAbsolutePath();
        return Path.of(pattern.replace("%p", Long.toString(pid)).replace("%%", "%")).toAbsolutePath();
    }

    /**
     * What happened to the process of the run in {@code folder}, when its run.json still says
     * running and that process is gone; its crash log, if any, is moved into the folder.
     */
    static Optional<String> died(Path folder) {
        JsonNode run;
        try {
            run = JsonFiles.JSON.readTree(folder.resolve("run.json").toFile());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!"running".equals(run.path("status").asText())) return Optional.empty();
        if (!run.has("pid")) return Optional.of("the previous process of " + folder + " ended without closing the run (no pid recorded)");
        long pid = run.get("pid").asLong();
        if (alive(pid, run.path("started").asText())) return Optional.empty();
        String prefix = "the previous process of " + folder + " (pid " + pid + ") died while running";
        Optional<Path> log = collectCrashLog(folder, pid, run.path("error_file").asText(""));
        return Optional.of(log.map(p -> prefix + "; its JVM crash log: " + p)
                .orElse(prefix + " and left no JVM crash log (killed by a signal: kill -9, the kernel's OOM killer, or a native crash)"));
    }

    /** Runs of the same pipeline in {@code out} whose process died (at most 3 named), for a new run to report. */
    static java.util.List<String> diedBeside(Path out, String name, Path self) {
        java.util.List<String> found = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> entries = Files.list(out)) {
            entries.filter(p -> p.getFileName().toString().startsWith(name + "-") && !p.equals(self) && Files.isDirectory(p)).sorted()
                    .forEach(p -> died(p).ifPresent(m -> found.add(m + "; continue it with --resume " + p)));
        } catch (IOException e) {
            return found;
        }
        if (found.size() > 3) {
            int more = found.size() - 3;
            found.subList(3, found.size()).clear();
            found.add("and " + more + " more unfinished run(s) of " + name + " in " + out);
        }
        return found;
    }

    /** The same process still runs: same pid, started no later than the run it recorded. */
    private static boolean alive(long pid, String started) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) return false;
        Optional<Instant> since = handle.get().info().startInstant();
        try {
            return since.isEmpty() || !since.get().isAfter(Instant.parse(started));
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static Optional<Path> collectCrashLog(Path folder, long pid, String recorded) {
        Path inFolder = folder.resolve("hs_err_pid" + pid + ".log");
        if (Files.isRegularFile(inFolder)) return Optional.of(inFolder);
        for (String candidate : new String[] {recorded, System.getProperty("java.io.tmpdir") + "/hs_err_pid" + pid + ".log",
                "/tmp/hs_err_pid" + pid + ".log"}) {
            if (candidate.isEmpty()) continue;
            Path found = Path.of(candidate);
            if (!Files.isRegularFile(found)) continue;
            try {
                Files.move(found, inFolder, StandardCopyOption.REPLACE_EXISTING);
                return Optional.of(inFolder);
            } catch (IOException e) {
                return Optional.of(found); // not movable (another filesystem, permissions): point at it where it is
            }
        }
        return Optional.empty();
    }
}
