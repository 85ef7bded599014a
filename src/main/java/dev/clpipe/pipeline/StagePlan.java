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

    /** Transforms or writes the items of a stream. */
    record OfStage(String id, String type, Opener<Stage> opener) implements StagePlan {
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
