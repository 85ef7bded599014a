package dev.clpipe.pipeline;

/**
 * A stage whose config has been read and validated but which has opened nothing yet: planning
 * a whole pipeline (and {@code clpipe validate}) touches no device and reads no data; it only
 * checks that the files and folders a stage will read are there ({@link InputPaths}).
 */
public sealed interface StagePlan {
    String id();

    String type();

    /** Opens the part once the run starts. */
    @FunctionalInterface
    interface Opener<T> {
        T open(StageContext context) throws Exception;
    }

    /** Produces the items of a stream. */
    record OfSource(String id, String type, Opener<Source> opener) implements StagePlan {
        public Source open(StageContext context) throws Exception {
            return opener.open(context);
        }
    }

    /**
     * Transforms or writes the items of a stream. {@code needsEveryItem}: the stage's result is
     * over the whole stream (clustering, pair verification, a gallery's CSV, ground-truth scores),
     * so a resumed run must feed it every item again, not only the ones left. {@code atEnd}: the
     * files it makes from its finished per-run files when the run ends ({@link RunOutputs}).
     */
    record OfStage(String id, String type, Opener<Stage> opener, boolean needsEveryItem, RunOutputs atEnd) implements StagePlan {
        public OfStage(String id, String type, Opener<Stage> opener) {
            this(id, type, opener, false);
        }

        public OfStage(String id, String type, Opener<Stage> opener, boolean needsEveryItem) {
            this(id, type, opener, needsEveryItem, RunOutputs.NONE);
        }

        public Stage open(StageContext context) throws Exception {
            return opener.open(context);
        }
    }

    /** Runs on its own. */
    record OfJob(String id, String type, Opener<Job> opener) implements StagePlan {
        public Job open(StageContext context) throws Exception {
            return opener.open(context);
        }
    }
}
