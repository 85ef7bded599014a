package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.pipeline.RunFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code transfer:} section of a train stage: start from a checkpoint's first {@code reuse}
 * layers (the later layers, the new head, start fresh), keep the first {@code freeze} of them
 * fixed, and optionally train the head on the frozen layers' features cached on disk.
 *
 * @param from checkpoint folder or run folder to start from
 * @param fromStage else: the id of a train stage earlier in this pipeline (its latest checkpoint in this run)
 */
record Transfer(Optional<Path> from, Optional<String> fromStage, int reuse, int freeze, boolean cacheFeatures, Path cacheDir) {

    static Optional<Transfer> read(ConfigSection train, ModelSpec model, Path defaultCacheDir) {
        if (!train.has("transfer")) return Optional.empty();
        ConfigSection t = train.describe("transfer", "start from a checkpoint: {from | from_stage, reuse, freeze, cache_features, cache_dir}").section("transfer");
        int layers = model.layers().size();
        Optional<Path> from = t.describe("from", "checkpoint folder or run folder (its latest checkpoint)").optionalPath("from");
        from.ifPresent(f -> EvaluateStage.checked(t, "from", f, true));
        Optional<String> fromStage = t.describe("from_stage", "id of an earlier train stage of this pipeline: its latest checkpoint in this run").optionalString("from_stage");
        if (from.isPresent() == fromStage.isPresent()) throw t.error("from", "give exactly one of 'from' (a checkpoint or run folder) and 'from_stage' (an earlier train stage's id)");
        int freeze = t.describe("freeze", "the first N top-level layers keep the checkpoint's weights fixed (0 = fine-tune everything)").intIn("freeze", 0, layers - 1, 0);
        int reuse = t.describe("reuse", "the first N top-level layers take the checkpoint's weights; later layers (the head) start fresh; default: freeze")
                .intIn("reuse", 0, layers, freeze);
        if (reuse == 0) throw t.error("reuse", "nothing to transfer: set reuse (layers copied from the checkpoint) or freeze");
        if (freeze > reuse) throw t.error("freeze", "freeze " + freeze + " > reuse " + reuse + ": frozen layers must come from the checkpoint");
        boolean cache = t.describe("cache_features", "compute the frozen layers' features once (cached on disk) and train the head on them").bool("cache_features", false);
        if (cache && freeze == 0) throw t.error("cache_features", "cache_features needs frozen layers (freeze > 0)");
        Path cacheDir = t.describe("cache_dir", "feature cache folder; default $CLPIPE_CACHE/features").optionalPath("cache_dir").orElse(defaultCacheDir); // not recorded, as the sample cache
        return Optional.of(t.create(() -> new Transfer(from, fromStage, reuse, freeze, cache, cacheDir)));
    }

    /** The checkpoint folder to start from. */
    Path checkpoint(RunFolder run) throws IOException {
        Path given = from.orElseGet(() -> run.file(TrainJob.checkpointsFolder(fromStage.orElseThrow())));
        try {
            return EvaluateStage.resolve(given);
        } catch (IOException e) {
            throw new IOException("transfer: " + e.getMessage() + (fromStage.isPresent() ? " (did stage '" + fromStage.get() + "' run before?)" : ""));
        }
    }
}
