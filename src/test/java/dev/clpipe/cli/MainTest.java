package dev.clpipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private ExitCode run(String... args) {
        return Main.standard(new PrintStream(stdout, true, StandardCharsets.UTF_8)).run(args);
    }

    private String printed() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        assertEquals(ExitCode.OK, run("--help"));
        assertTrue(printed().contains("devices"));
        assertTrue(printed().contains("exit codes: 0 ok"));
        assertEquals(ExitCode.USAGE, run());
    }

    @Test
    void commandHelpShowsItsOptions() {
        assertEquals(ExitCode.OK, run("devices", "--help"));
        assertTrue(printed().contains("--json"), printed());
        assertTrue(printed().contains("--device <SPEC>"), printed());
    }

    @Test
    void unknownCommandsAndFlagsAreUsageErrors() {
        assertEquals(ExitCode.USAGE, run("devicez"));
        assertEquals(ExitCode.USAGE, run("devices", "--jsn"));
        assertEquals(ExitCode.USAGE, run("devices", "--device", "graphics"));
        assertEquals(ExitCode.USAGE, run("kernels"));
        assertEquals(ExitCode.USAGE, run("kernels", "build", "--device", "cpu"));
        assertEquals(ExitCode.USAGE, run("devices", "--verbose", "--quiet"));
    }

    @Test
    void aDeviceThatDoesNotExistIsExitCode3() {
        assertEquals(ExitCode.DEVICE, run("devices", "--device", "gpu"));
        assertEquals(ExitCode.DEVICE, run("devices", "--device", "7:7"));
    }

    @Test
    void devicesJsonListsThePoclDeviceWithAPassingSelfTest() throws Exception {
        assertEquals(ExitCode.OK, run("devices", "--json", "--device", "cpu"));
        JsonNode devices = new ObjectMapper().readTree(printed());
        assertTrue(devices.isArray() && devices.size() >= 1);
        JsonNode first = devices.get(0);
        assertEquals("CPU", first.get("type").asText());
        assertTrue(first.get("compiler_available").asBoolean());
        assertTrue(first.get("self_test").get("passed").asBoolean());
        assertTrue(first.get("self_test").get("copy_gb_per_s").asDouble() > 0);
        for (String field : new String[] {"platform_index", "platform", "device_index", "vendor", "name", "driver_version",
                "opencl_version", "compute_units", "global_mem_bytes", "local_mem_bytes", "max_work_group_size"}) {
            assertTrue(first.has(field), "missing " + field);
        }
    }

    @Test
    void devicesTableIsReadable() {
        assertEquals(ExitCode.OK, run("devices", "--no-self-test"));
        assertTrue(printed().startsWith("ADDR"), printed());
        assertTrue(printed().contains("0:0   cpu"), printed());
    }

    @Test
    void kernelsBuildWritesAManifest(@TempDir Path out) throws Exception {
        assertEquals(ExitCode.OK, run("kernels", "build", "--device", "cpu", "--out", out.toString()));
        JsonNode manifest = new ObjectMapper().readTree(Files.readString(out.resolve("manifest.json")));
        assertTrue(manifest.get("programs").size() >= 1);
        assertEquals(ExitCode.OK, run("kernels", "list"));
        assertTrue(printed().contains("elementwise.cl"));
    }
}
