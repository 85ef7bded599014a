package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigSection;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The top-level keys every pipeline shares; {@code --input}, {@code --out}, {@code --device} and
 * {@code --seed} override them from the command line.
 */
public record PipelineSettings(
        String name, long seed, String device, Optional<Path> input, Path out, int batch, int queue, int workers) {

    public PipelineSettings {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name may hold letters, digits, '.', '_' and '-' only: " + name);
        }
    }

    static PipelineSettings read(ConfigSection root, String defaultName) {
        String name = root.describe("name", "run name; the run folder is OUT/NAME-yyyyMMdd-HHmmss").string("name", defaultName);
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw root.error("name", "expected letters, digits, '.', '_' or '-' (it names a folder), found \"" + name + "\"");
        }
        long seed = root.describe("seed", "seed of every random choice (augmentation, init, shuffling)").longValue("seed", 42);
        String device = root.describe("device", "OpenCL device: auto, cpu, gpu, accelerator, all, P:D, name~TEXT").string("device", "auto");
        Placement.checkDeviceSyntax(root, "device", device);
        Optional<Path> input = root.describe("input", "input file or folder, relative to this YAML file").optionalPath("input");
        Path out = root.describe("out", "folder that receives run folders").path("out", () -> Path.of("runs"));
        int batch = root.describe("batch", "items per batch passed between stages").intIn("batch", 1, 65536, 64);
        int queue = root.describe("queue", "batches buffered between two stages (back-pressure)").intIn("queue", 1, 1024, 4);
        int workers = root.describe("workers", "threads for host work such as decoding; 0 = one per core")
                .intIn("workers", 0, 256, 0);
        return new PipelineSettings(name, seed, device, input, out, batch, queue,
                workers == 0 ? Runtime.getRuntime().availableProcessors() : workers);
    }
}
