package dev.clpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRecordTest {
    @TempDir
    Path temp;

    private static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private Path runFolder(String name, String status, long pid, Path errorFile) throws IOException {
        Path folder = Files.createDirectories(temp.resolve("runs").resolve(name));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("status", status);
        run.put("started", Instant.now().minusSeconds(5).toString());
        run.put("pid", pid);
        run.put("error_file", errorFile.toString());
        JsonFiles.write(folder.resolve("run.json"), run);
        return folder;
    }

    @Test
    void aRunningFolderWhoseProcessIsGoneIsReportedAndItsCrashLogMovedIn() throws Exception {
        long pid = deadPid();
        Path crashLog = Files.writeString(temp.resolve("hs_err_pid" + pid + ".log"), "# A fatal error has been detected");
        Path folder = runFolder("p-1", "running", pid, crashLog);
        Optional<String> died = ProcessRecord.died(folder);
        Path moved = folder.resolve("hs_err_pid" + pid + ".log");
        assertEquals(Optional.of("the previous process of " + folder + " (pid " + pid + ") died while running; its JVM crash log: " + moved), died);
        assertTrue(Files.isRegularFile(moved));
        assertFalse(Files.exists(crashLog));
    }

    @Test
    void withoutACrashLogItSaysSo() throws Exception {
        long pid = deadPid();
        Path folder = runFolder("p-1", "running", pid, temp.resolve("nothing-here.log"));
        assertTrue(ProcessRecord.died(folder).orElseThrow().endsWith("left no JVM crash log (killed by a signal: kill -9, the kernel's OOM killer, "
                + "or a native crash)"));
    }

    @Test
    void aLiveProcessOrAFinishedRunIsNotADeath() throws Exception {
        assertEquals(Optional.empty(), ProcessRecord.died(runFolder("live", "running", ProcessHandle.current().pid(), temp.resolve("x"))));
        assertEquals(Optional.empty(), ProcessRecord.died(runFolder("done", "ok", deadPid(), temp.resolve("x"))));
    }

    @Test
    void aNewRunNamesDeadRunsOfTheSamePipelineBesideIt() throws Exception {
        Path dead = runFolder("p-20260101-000000", "running", deadPid(), temp.resolve("x"));
        runFolder("other-20260101-000000", "running", deadPid(), temp.resolve("x"));
        Path self = Files.createDirectories(temp.resolve("runs/p-20260101-000001"));
        var reports = ProcessRecord.diedBeside(temp.resolve("runs"), "p", self);
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.get(0).endsWith("; continue it with --resume " + dead), reports.get(0));
    }

    @Test
    void thisProcessRecordsItsPidAndWhereItsCrashLogWouldGo() {
        Map<String, Object> json = ProcessRecord.current();
        assertEquals(ProcessHandle.current().pid(), json.get("pid"));
        assertTrue(json.get("error_file").toString().endsWith("hs_err_pid" + ProcessHandle.current().pid() + ".log"), json.toString());
    }
}
