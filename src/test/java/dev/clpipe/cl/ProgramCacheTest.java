package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramCacheTest {
    @TempDir
    Path temp;

    private static float[] axpy(ClContext context, String options) {
        float[] x = {1, 2, 3, 4, 5};
        float[] y = {10, 20, 30, 40, 50};
        try (ClKernel kernel = context.program(new ProgramSpec("elementwise.cl", options)).kernel("axpy");
                ClBuffer bx = context.buffer(x);
                ClBuffer by = context.buffer(y)) {
            kernel.arg(0, 2f).arg(1, bx).arg(2, by).arg(3, x.length).launch(context.queue(), new long[] {x.length}, null);
            return by.readFloats(context.queue());
        }
    }

    private static ClContext open(ProgramLoader loader) {
        return ClRuntime.with(loader).openOne("cpu");
    }

    /** Options no other test uses, so the process-wide counters see only this test's builds. */
    private static String uniqueOptions() {
        return "-DCACHE_TEST=" + System.nanoTime();
    }

    @Test
    void aSecondRunLoadsFromTheCacheAndCompilesNothing() {
        String options = uniqueOptions();
        ProgramCache cache = new ProgramCache(temp.resolve("kernels"));
        int compiledBefore = ProgramStats.compiled();
        try (ClContext first = open(new CompilingLoader(cache))) {
            assertArrayEquals(new float[] {12, 24, 36, 48, 60}, axpy(first, options));
        }
        assertEquals(compiledBefore + 1, ProgramStats.compiled());
        int hitsBefore = ProgramStats.cacheHits();
        try (ClContext second = open(new CompilingLoader(new ProgramCache(temp.resolve("kernels"))))) {
            assertArrayEquals(new float[] {12, 24, 36, 48, 60}, axpy(second, options));
        }
        assertEquals(compiledBefore + 1, ProgramStats.compiled(), "warm run compiled again");
        assertEquals(hitsBefore + 1, ProgramStats.cacheHits());
    }

    @Test
    void aCorruptCacheEntryIsRebuiltNotTrusted() throws IOException {
        String options = uniqueOptions();
        Path folder = temp.resolve("kernels");
        try (ClContext first = open(new CompilingLoader(new ProgramCache(folder)))) {
            axpy(first, options);
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path bin : files.filter(p -> p.toString().endsWith(".bin")).toList()) {
                byte[] bytes = Files.readAllBytes(bin);
                bytes[bytes.length / 2] ^= 0x5A;
                Files.write(bin, bytes);
            }
        }
        int compiledBefore = ProgramStats.compiled();
        try (ClContext second = open(new CompilingLoader(new ProgramCache(folder)))) {
            assertArrayEquals(new float[] {12, 24, 36, 48, 60}, axpy(second, options));
        }
        assertEquals(compiledBefore + 1, ProgramStats.compiled(), "corrupt entry must be rebuilt");
    }

    @Test
    void anUnwritableCacheFolderStillBuilds() throws IOException {
        Path notAFolder = Files.writeString(temp.resolve("file"), "x");
        ProgramCache cache = new ProgramCache(notAFolder.resolve("kernels"));
        try (ClContext context = open(new CompilingLoader(cache))) {
            assertArrayEquals(new float[] {12, 24, 36, 48, 60}, axpy(context, uniqueOptions()));
        }
        assertTrue(Files.isRegularFile(notAFolder));
    }

    @Test
    void aBuildFailureNamesTheFileAndLine() {
        KernelSource broken = KernelSource.of("broken.cl", """
                __kernel void f(__global float* x) {
                    x[0] = 1.0f;
                    x[1] = undefined_name;
                }
                """);
        try (ClContext context = open(new CompilingLoader(new ProgramCache(temp.resolve("k"))))) {
            ClException e = assertThrows(ClException.class, () -> context.program(broken, ""));
            assertTrue(e.getMessage().contains("opencl/broken.cl failed to build"), e.getMessage());
            assertTrue(e.getMessage().contains("broken.cl:3:"), e.getMessage());
            assertTrue(e.getMessage().contains("undefined_name"), e.getMessage());
        }
    }

    @Test
    void anUnknownKernelNameIsAClearError() {
        try (ClContext context = open(new CompilingLoader(new ProgramCache(temp.resolve("k"))))) {
            ClException e = assertThrows(ClException.class, () -> context.program("elementwise.cl").kernel("nope"));
            assertTrue(e.getMessage().contains("kernel 'nope' not found in opencl/elementwise.cl"), e.getMessage());
        }
    }
}
