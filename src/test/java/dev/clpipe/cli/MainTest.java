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
        JsonNode json = new ObjectMapper().readTree(printed());
        JsonNode devices = json.get("devices");
        assertTrue(devices.isArray() && devices.size() >= 1);
        JsonNode codecs = json.get("codecs");
        assertTrue(codecs.isArray() && codecs.size() >= 3, codecs.toString());
        for (JsonNode codec : codecs) { // each says what it is, or what is missing and how to install it
            assertTrue(codec.has("format") && codec.has("operation") && codec.has("codec"), codec.toString());
            if (codec.has("missing")) assertTrue(codec.get("missing").asText().contains("apt-get install"), codec.toString());
        }
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

    @Test
    void validateAcceptsAGoodPipelineAndRefusesABadOneWithExitCode2(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("in"));
        Path good = Files.writeString(dir.resolve("good.yaml"), "input: in\nstages:\n  - {type: image-folder}\n  - {type: decode}\n");
        assertEquals(ExitCode.OK, run("validate", good.toString()));
        assertTrue(printed().contains("ok, 2 stage(s)"), printed());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "input: in\nstages:\n  - {type: image-folder, shrad: 0/2}\n");
        assertEquals(ExitCode.USAGE, run("validate", bad.toString()));
        assertEquals(ExitCode.USAGE, run("validate", dir.resolve("missing.yaml").toString()));
        assertEquals(ExitCode.USAGE, run("validate", good.toString(), "--set", "stages[nope].x=1"));
    }

    @Test
    void runWritesARunFolderAndAMissingInputIsADataError(@TempDir Path dir) throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos/a"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(5, 4, java.awt.image.BufferedImage.TYPE_INT_RGB), "png",
                photos.resolve("x.png").toFile());
        Path yaml = Files.writeString(dir.resolve("p.yaml"),
                "stages:\n  - {type: image-folder}\n  - {type: decode}\n  - {type: write-images}\n");
        Path out = dir.resolve("runs");
        assertEquals(ExitCode.OK, run("run", yaml.toString(), "--input", dir.resolve("photos").toString(), "--out", out.toString()));
        try (var runs = Files.list(out)) {
            Path folder = runs.findFirst().orElseThrow();
            assertTrue(Files.isRegularFile(folder.resolve("images/a/x.png")));
        }
        assertEquals(ExitCode.DATA, run("run", yaml.toString(), "--input", dir.resolve("nowhere").toString(), "--out", out.toString()));
    }
}
