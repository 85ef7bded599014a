package dev.clpipe.cli;

import dev.clpipe.cl.ClRuntime;
import dev.clpipe.pipeline.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.cli.CommandLine;

/**
 * What {@code run} and {@code validate} check after planning (which already checked keys, ranges,
 * device-string syntax and every input path) and before any work or run folder: that
 * {@code --resume} names a run folder (exit 2), that {@code --kernels} holds binaries (exit 3) and
 * that a device string other than {@code auto} names devices on this machine (exit 3). {@code auto}
 * is left to the stages that open a device, so a pipeline that opens none needs no OpenCL.
 */
final class Preflight {
    private Preflight() {}

    /** Runs the checks; returns the device runtime to run with (discovered once, here or on first use). */
    static Supplier<ClRuntime> check(CommandLine line, Pipeline pipeline) {
        String resume = line.getOptionValue("resume");
        if (resume != null && !Files.isRegularFile(Path.of(resume).resolve("run.json"))) {
            throw new UsageException("--resume " + resume + ": not a run folder (no run.json); pass a folder that 'clpipe run' made");
        }
        String device = pipeline.settings().device();
        if (line.hasOption("kernels") || !device.equalsIgnoreCase("auto")) {
            ClRuntime runtime = Runtimes.from(line);
            if (!device.equalsIgnoreCase("auto")) runtime.select(device);
            return () -> runtime;
        }
        return memoized(() -> Runtimes.from(line));
    }

    private static Supplier<ClRuntime> memoized(Supplier<ClRuntime> make) {
        return new Supplier<>() {
            private Optional<ClRuntime> made = Optional.empty();

            @Override
            public synchronized ClRuntime get() {
                if (made.isEmpty()) made = Optional.of(make.get());
                return made.get();
            }
        };
    }
}
