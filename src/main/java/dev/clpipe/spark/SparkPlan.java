package dev.clpipe.spark;

import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.StagePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape a pipeline must have to run under Spark: one {@code image-folder} source (read by
 * {@code binaryFile}) followed by per-image stages, which run in the executors. Jobs (training),
 * stages whose result covers the whole set ({@code needsEveryItem}: clustering, ground-truth
 * scores) and further streams need one machine's {@code clpipe run}; they are refused here, before
 * Spark starts.
 */
record SparkPlan(String sourceId, BinaryFileInput input, List<StagePlan.OfStage> stages) {

    static SparkPlan of(Pipeline pipeline) {
        List<StagePlan> plans = pipeline.stages();
        if (!(plans.get(0) instanceof StagePlan.OfSource source) || !(source.opener() instanceof BinaryFileInput input)) {
            throw new IllegalArgumentException("under Spark the first stage must be an image-folder source, found \""
                    + plans.get(0).id() + "\" (type " + plans.get(0).type() + ")");
        }
        List<StagePlan.OfStage> stages = new ArrayList<>();
        for (StagePlan plan : plans.subList(1, plans.size())) {
            if (!(plan instanceof StagePlan.OfStage stage)) {
                throw new IllegalArgumentException("stage \"" + plan.id() + "\" (type " + plan.type()
                        + ") does not work image by image, so it cannot run inside Spark tasks; run it with 'clpipe run'");
            }
            if (stage.needsEveryItem()) {
                throw new IllegalArgumentException("stage \"" + plan.id() + "\" (type " + plan.type()
                        + ") needs every image in one place (its result covers the whole set: ground-truth scores, clusters, a gallery),"
                        + " which split Spark tasks never have; run it with 'clpipe run' (or drop that part of its config)");
            }
            stages.add(stage);
        }
        return new SparkPlan(source.id(), input, List.copyOf(stages));
    }

    List<String> stageIds() {
        List<String> ids = new ArrayList<>();
        ids.add(sourceId);
        stages.forEach(s -> ids.add(s.id()));
        return ids;
    }
}
