package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.testing.TestDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FPGA-style path, exercised on PoCL by forcing binary-only loading. */
class OfflineKernelsTest {
    @TempDir
    Path out;

    private OfflineManifest manifest;

    @BeforeEach
    void build() throws IOException {
        manifest = OfflineBuilder.build(TestDevices.context(), List.of(new ProgramSpec("elementwise.cl", "")), out);
    }

    private static float[] add(ClContext context) {
        float[] x = {1, 2, 3};
        float[] y = {0.5f, 0.25f, -3};
        try (ClKernel kernel = context.program("elementwise.cl").kernel("add");
                ClBuffer bx = context.buffer(x);
                ClBuffer by = context.buffer(y);
                ClBuffer bz = context.buffer(12)) {
            kernel.arg(0, bx).arg(1, by).arg(2, bz).arg(3, 3).launch(context.queue(), new long[] {3}, null);
            return bz.readFloats(context.queue());
        }
    }

    private ClException refusal() {
        try (ClContext context = ClRuntime.offline(out).openOne("cpu")) {
            return assertThrows(ClException.class, () -> add(context));
        }
    }

    private void editManifest(String from, String to) throws IOException {
        Path file = out.resolve(OfflineManifest.FILE_NAME);
        String text = Files.readString(file);
        assertTrue(text.contains(from), "manifest lacks " + from);
        Files.writeString(file, text.replace(from, to));
    }

    @Test
    void binariesLoadAndRunWithoutCompiling() {
        assertEquals(1, manifest.programs().size());
        assertTrue(Files.isRegularFile(out.resolve(manifest.programs().get(0).binary())));
        int compiled = ProgramStats.compiled();
        int offline = ProgramStats.offlineLoads();
        try (ClContext context = ClRuntime.offline(out).openOne("cpu")) {
            assertArrayEquals(new float[] {1.5f, 2.25f, 0}, add(context));
        }
        assertEquals(compiled, ProgramStats.compiled());
        assertEquals(offline + 1, ProgramStats.offlineLoads());
    }

    @Test
    void binariesForAnotherDeviceAreRefused() throws IOException {
        editManifest(manifest.device().name(), "Some FPGA board");
        ClException e = refusal();
        assertTrue(e.getMessage().contains("were built for \"Some FPGA board\""), e.getMessage());
        assertTrue(e.getMessage().contains("clpipe kernels build --device"), e.getMessage());
    }

    @Test
    void binariesFromOtherSourcesAreRefused() throws IOException {
        editManifest(manifest.programs().get(0).sourceHash(), "0".repeat(64));
        assertTrue(refusal().getMessage().contains("built from other sources"));
    }

    @Test
    void aDamagedBinaryIsRefused() throws IOException {
        Path bin = out.resolve(manifest.programs().get(0).binary());
        byte[] bytes = Files.readAllBytes(bin);
        bytes[bytes.length - 1] ^= 1;
        Files.write(bin, bytes);
        assertTrue(refusal().getMessage().contains("damaged"));
    }

    @Test
    void aMissingProgramIsRefusedNotCompiled() throws IOException {
        editManifest("\"elementwise.cl\"", "\"other.cl\"");
        int compiled = ProgramStats.compiled();
        assertTrue(refusal().getMessage().contains("no binary of opencl/elementwise.cl"));
        assertEquals(compiled, ProgramStats.compiled());
    }

    @Test
    void aManifestPointingOutsideItsFolderIsRefused() throws IOException {
        editManifest(manifest.programs().get(0).binary(), "../../etc/passwd");
        assertTrue(refusal().getMessage().contains("points outside its folder"));
    }

    @Test
    void aMissingManifestIsAClearError() {
        ClException e = assertThrows(ClException.class, () -> ClRuntime.offline(out.resolve("nowhere")));
        assertTrue(e.getMessage().contains("cannot read kernel manifest"), e.getMessage());
    }
}
