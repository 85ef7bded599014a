package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigLoader;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.nio.file.Path;

/**
 * A child JVM of {@link FrozenConfigTest}, started in another working directory: plans each frozen
 * config.yaml given and writes what it freezes to again beside it ({@code replanned.yaml}), or prints
 * "FILE: error" for one that no longer plans.
 */
public final class PlanFrozenConfigs {
    private PlanFrozenConfigs() {}

    public static void main(String[] args) {
        for (String arg : args) {
            Path file = Path.of(arg);
            try {
                Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry()).frozenConfig().write(file.resolveSibling("replanned.yaml"));
            } catch (Exception e) {
                System.out.println(file + ": " + e.getMessage());
            }
        }
    }
}
