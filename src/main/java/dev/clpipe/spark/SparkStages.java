package dev.clpipe.spark;

import dev.clpipe.pipeline.StageRegistry;
import dev.clpipe.pipeline.StageType;
import java.util.Set;

/**
 * The stage types of a Spark run: every type of the one-machine registry, except that
 * {@code image-folder} becomes Spark's {@code binaryFile} source and {@code decode} decodes the
 * bytes that source read. Every other type (write-images, and future detect/embed/predict
 * stages) runs unchanged inside the executors.
 */
public final class SparkStages {
    private static final Set<String> REPLACED = Set.of("image-folder", "decode");

    private SparkStages() {}

    public static StageRegistry of(StageRegistry oneMachine) {
        StageRegistry registry = new StageRegistry().register(new BinaryFileSourceStage()).register(new BytesDecodeStage());
        for (StageType type : oneMachine.types()) {
            if (!REPLACED.contains(type.name())) registry.register(type);
        }
        return registry;
    }
}
