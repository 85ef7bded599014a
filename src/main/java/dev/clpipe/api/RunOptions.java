package dev.clpipe.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code clpipe run}'s options set, as values: {@code input}, {@code out}, {@code device},
 * {@code seed} override the YAML's top-level keys, {@code sets} are {@code --set KEY=VALUE}
 * overrides, {@code plugins} a folder of plug-in jars, {@code resume} a run folder to continue,
 * {@code profileKernels} times every kernel launch. Immutable; the {@code with} methods return copies.
 */
public record RunOptions(Optional<Path> input, Optional<Path> out, Optional<String> device, OptionalLong seed, List<String> sets,
        Optional<Path> plugins, Optional<Path> resume, boolean profileKernels) {

    public RunOptions {
        sets = List.copyOf(sets);
    }

    /** Everything as the YAML says. */
    public static RunOptions defaults() {
        return new RunOptions(Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(), List.of(), Optional.empty(),
                Optional.empty(), false);
    }

    public RunOptions withInput(Path folderOrFile) {
        return new RunOptions(Optional.of(folderOrFile), out, device, seed, sets, plugins, resume, profileKernels);
    }

    public RunOptions withOut(Path runsFolder) {
        return new RunOptions(input, Optional.of(runsFolder), device, seed, sets, plugins, resume, profileKernels);
    }

    /** An OpenCL device string: auto, cpu, gpu, accelerator, all, P:D, name~TEXT. */
    public RunOptions withDevice(String spec) {
        return new RunOptions(input, out, Optional.of(spec), seed, sets, plugins, resume, profileKernels);
    }

    public RunOptions withSeed(long value) {
        return new RunOptions(input, out, device, OptionalLong.of(value), sets, plugins, resume, profileKernels);
    }

    /** One override, e.g. {@code "stages[decode].channels=1"} (as {@code --set}). */
    public RunOptions withSet(String keyEqualsValue) {
        List<String> more = new ArrayList<>(sets);
        more.add(keyEqualsValue);
        return new RunOptions(input, out, device, seed, more, plugins, resume, profileKernels);
    }

    public RunOptions withPlugins(Path folderOfJars) {
        return new RunOptions(input, out, device, seed, sets, Optional.of(folderOfJars), resume, profileKernels);
    }

    public RunOptions withResume(Path runFolder) {
        return new RunOptions(input, out, device, seed, sets, plugins, Optional.of(runFolder), profileKernels);
    }

    public RunOptions withProfileKernels(boolean on) {
        return new RunOptions(input, out, device, seed, sets, plugins, resume, on);
    }
}
