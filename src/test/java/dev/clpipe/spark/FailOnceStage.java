package dev.clpipe.spark;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/** {@code type: fail-once}: placed after a sink, fails the first task attempt that reaches it, after the sink wrote ({@code always: true}: every attempt). */
final class FailOnceStage implements StageType {
    private static final AtomicInteger FAILURES = new AtomicInteger();

    static int failures() {
        return FAILURES.get();
    }

    @Override
    public String name() {
        return "fail-once";
    }

    @Override
    public String summary() {
        return "test: fails the first task attempt that reaches it";
    }

    @Override
    public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
        boolean always = section.describe("always", "fail every attempt").bool("always", false);
        return new StagePlan.OfStage(id, name(), context -> batch -> {
            TaskContext task = TaskContext.get();
            if (always) throw new IllegalStateException("test: every attempt fails");
            if (task != null && task.attemptNumber() == 0 && FAILURES.compareAndSet(0, 1)) {
                throw new IllegalStateException("test: the first attempt of partition " + task.partitionId() + " fails");
            }
            return batch;
        });
    }
}
