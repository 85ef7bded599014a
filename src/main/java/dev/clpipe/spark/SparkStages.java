package dev.clpipe.spark;

import dev.clpipe.pipeline.StageRegistry;
import dev.clpipe.pipeline.StageType;
import java.util.Set;

/**
 * The stage types of a Spark run: every type of the one-machine registry, except that
 * {@code image-folder} becomes Spark's {@code binaryFile} source (whose items carry the file's
 * bytes, which {@code decode} reads instead of a path). Every other type (write-images, and future detect/embed/predict
 * stages) runs unchanged inside the executors.
 */
public final class SparkStages {
    private static final Set<String> REPLACED = Set.of("image-folder");

    private SparkStages() {}

    public static StageRegistry of(StageRegistry oneMachine) {
        StageRegistry registry = new StageRegistry().register(new BinaryFileSourceStage());
        for (StageType type : oneMachine.types()) {
            if (!REPLACED.contains(type.name())) registry.register(type);
        }
        return registry;
    }
}
