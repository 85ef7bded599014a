package dev.clpipe.nn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.cl.CompilingLoader;
import dev.clpipe.cl.ProgramCache;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.nn.train.Trainer;
import dev.clpipe.testing.TestDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data-parallel re-split gives a replica new rows; on PoCL every new work-group size of a kernel
 * is a new work-group function compiled by LLVM (seconds on the device's thread). So a training
 * step of the zoo's ResNets at any row count must launch every kernel with the work-group sizes
 * it used at the first one. PoCL keeps one folder per (kernel, local size) it compiled in its
 * kernel cache ({@code <program>/<kernel>/<lx>-<ly>-<lz>-...}); the programs here are built with
 * an option no other run uses, so their folders are new and name exactly what this test compiled.
 */
class ResNetRowFreeGroupsTest {
    @TempDir
    Path binaries;

    @Tag("slow") // every program is compiled afresh: about a minute
    @Test
    void aResNetStepAtOtherRowsCompilesNoNewWorkGroupFunction() throws IOException {
        assumePocl();
        for (ModelSpec model : new ModelSpec[] {Models.resnetMnist(), Models.resnet20()}) {
            Path kcache = Path.of(System.getenv("POCL_CACHE_DIR"));
            String nonce = " -D CLPIPE_ROW_FREE_TEST=" + System.nanoTime();
            CompilingLoader compiling = new CompilingLoader(new ProgramCache(binaries));
            ClRuntime runtime = ClRuntime.with((context, source, options) -> compiling.load(context, source, options + nonce));
            try (ClContext context = runtime.openOne(System.getProperty("clpipe.test.device", "cpu"))) {
                Set<String> before = groups(kcache);
                step(context, model, 64);
                Set<String> first = new TreeSet<>(groups(kcache));
                first.removeAll(before);
                assertFalse(first.isEmpty(), "no work-group function of " + model.name() + " appeared in " + kcache + " (PoCL kernel cache off?)");
                Map<Integer, Set<String>> added = new LinkedHashMap<>();
                for (int rows : new int[] {48, 80, 40, 56, 72, 33, 65, 21}) {
                    Set<String> had = groups(kcache);
                    step(context, model, rows);
                    Set<String> now = new TreeSet<>(groups(kcache));
                    now.removeAll(had);
                    if (!now.isEmpty()) added.put(rows, now);
                }
                assertEquals(Map.of(), added, model.name() + ": work-group functions compiled at other rows (first rows compiled " + first + ")");
            }
        }
    }

    /** One SGD training step of {@code rows} blank images: forward, backward and update. */
    private static void step(ClContext context, ModelSpec model, int rows) {
        Dataset blank = new Dataset("blank", new byte[rows * model.input().size()], new int[rows], model.input(), model.output().size());
        TrainSettings settings = new TrainSettings(rows, 1, OptimizerSpec.sgd(0.05, 0.9, 5e-4), LrSchedule.constant(), 0, 1);
        try (Trainer trainer = new Trainer(context, model, settings); DeviceDataset data = new DeviceDataset(context, blank, 0f, 1f)) {
            trainer.trainEpoch(data, n -> { }, () -> false);
            context.queue().finish();
        }
    }

    /** Every (program, kernel, local size) folder of PoCL's kernel cache except the generic ones (0-0-0). */
    private static Set<String> groups(Path kcache) throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> all = Files.find(kcache, 4, (p, a) -> a.isDirectory() && kcache.relativize(p).getNameCount() == 4)) {
            all.map(p -> kcache.relativize(p).toString()).filter(p -> !p.endsWith("/0-0-0")).forEach(found::add);
        }
        return found;
    }

    private static void assumePocl() {
        assumeTrue(!TestDevices.underOclgrind() && System.getenv("POCL_CACHE_DIR") != null, "PoCL's kernel cache names the work-group functions it compiles");
    }
}
