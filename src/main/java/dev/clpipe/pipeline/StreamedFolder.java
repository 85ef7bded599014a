package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageFolderSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The stream {@code image-folder → [decode →]} right before a job that reads a labelled folder
 * itself (train, evaluate), read as what a user means by it: the job takes that folder (its
 * {@code input}, class per subfolder or train/ and test/ folders of them) and its extensions as
 * its data, decoded once on the worker pool into its decoded-sample cache. The stream stages then
 * do not run (they would decode every image and drop the pixels). {@code channels}: decode's
 * {@code channels} when given (it must match the model's input; {@code channelsError} says so at
 * the decode stage).
 */
public record StreamedFolder(Path folder, List<String> extensions, OptionalInt channels, Function<String, ConfigException> channelsError) {

    /** The settings a fed job plans with: the pipeline's, with the stream's folder as the input. */
    public PipelineSettings settingsFor(PipelineSettings pipeline) {
        return new PipelineSettings(pipeline.name(), pipeline.seed(), pipeline.device(), Optional.of(folder), pipeline.out(), pipeline.batch(),
                pipeline.queue(), pipeline.workers());
    }

    /**
     * The stream ending right before stage {@code next} when it is image-folder or image-folder →
     * decode (the plans since the last job, with their sections); empty for any other stream.
     */
    static Optional<StreamedFolder> before(List<StagePlan> plans, List<ConfigSection> sections, PipelineSettings pipeline) {
        int start = plans.size();
        while (start > 0 && !(plans.get(start - 1) instanceof StagePlan.OfJob)) start--;
        List<String> types = plans.subList(start, plans.size()).stream().map(StagePlan::type).toList();
        if (!types.equals(List.of("image-folder")) && !types.equals(List.of("image-folder", "decode"))) return Optional.empty();
        ConfigSection source = sections.get(start);
        if (!source.string("shard", "0/1").replace(" ", "").equals("0/1")) {
            throw source.error("shard", "a stream that feeds a training or evaluation job reads the whole folder; remove 'shard' (the job splits by 'holdout')");
        }
        Path folder = source.optionalPath("input").or(pipeline::input).orElseThrow(() -> source.error("input", "no input folder"));
        List<String> extensions = source.stringList("extensions", ImageFolderSource.DEFAULT_EXTENSIONS.stream().sorted().toList());
        OptionalInt channels = OptionalInt.empty();
        Function<String, ConfigException> error = message -> source.error("input", message);
        if (types.size() == 2) {
            ConfigSection decode = sections.get(start + 1);
            if (decode.has("channels")) channels = OptionalInt.of(decode.intIn("channels", 0, 4, 3));
            error = message -> decode.error("channels", message);
        }
        return Optional.of(new StreamedFolder(folder, extensions, channels, error));
    }
}
