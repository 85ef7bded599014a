package dev.clpipe.pipeline;

import dev.clpipe.config.Config;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigSection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A pipeline planned from its config: shared settings and one plan per stage, in order. Planning
 * reads and validates every key (unknown keys are errors), checks that the inputs stages read
 * exist, and opens nothing.
 */
public record Pipeline(Config config, PipelineSettings settings, List<StagePlan> stages) {

    /**
     * Plans every stage; stages check the files and folders they will read, and those refused are
     * thrown last ({@link MissingInputException}, exit 4), after every config error.
     */
    public static Pipeline plan(Config config, StageRegistry registry) {
        return InputPaths.deferred(() -> planChecked(config, registry));
    }

    private static Pipeline planChecked(Config config, StageRegistry registry) {
        ConfigSection root = config.root();
        String defaultName = config.file().getFileName().toString().replaceFirst("\\.ya?ml$", "");
        PipelineSettings settings = PipelineSettings.read(root, defaultName);
        root.describe("base", "YAML file(s) this one extends").accept("base");
        List<ConfigSection> sections = root.describe("stages", "the stages, in order").sectionList("stages");
        if (sections.isEmpty()) throw root.error("stages", "a pipeline needs at least one stage under 'stages:'");
        List<StagePlan> plans = new ArrayList<>();
        List<ConfigSection> planned = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ConfigSection section : sections) {
            StageType type = registry.typeOf(section);
            String id = section.describe("id", "stage id, unique; default the type").string("id", type.name());
            if (!ids.add(id)) throw section.error("id", "stage id \"" + id + "\" is used twice; give each stage its own id");
            Optional<StreamedFolder> fed = type.readsStreamedFolder() ? StreamedFolder.before(plans, planned, settings) : Optional.empty();
            StagePlan plan = fed.isPresent() ? type.plan(id, section, settings, fed.get()) : type.plan(id, section, settings);
            checkOrder(plans, plan, section);
            checkDataJob(plans, plan, section);
            if (fed.isPresent()) dropStream(plans, planned);
            plans.add(plan);
            planned.add(section);
        }
        root.rejectUnknownKeysDeep();
        return new Pipeline(config, settings, List.copyOf(plans));
    }

    /**
     * train and evaluate read their data themselves, into a decoded-sample cache: a stream
     * image-folder → [decode →] right before them names that data ({@link StreamedFolder}, and it
     * is dropped); any other stream ending in images right before them (an augment stage) would
     * decode every image and drop the pixels, so that form is refused with the one that works.
     */
    private static void checkDataJob(List<StagePlan> before, StagePlan plan, ConfigSection section) {
        if (!(plan instanceof StagePlan.OfJob) || !List.of("train", "evaluate").contains(plan.type()) || before.isEmpty()) return;
        StagePlan previous = before.get(before.size() - 1);
        if (!previous.type().equals("augment")) return;
        throw new ConfigException(section.origin(), section.keyPath(), "stage \"" + plan.id() + "\" (type " + plan.type()
                + ") reads a labelled folder itself, but follows augment stage \"" + previous.id() + "\" whose images would be dropped: "
                + "end the stream at image-folder or decode (the job then reads that folder) and give " + plan.type()
                + " 'augment:' with the ops, drawn per sample per epoch on the device; see pipelines/folder-train.yaml");
    }

    /** Removes the stream that fed a job (the plans since the last job): the job reads its folder itself. */
    private static void dropStream(List<StagePlan> plans, List<ConfigSection> sections) {
        while (!plans.isEmpty() && !(plans.get(plans.size() - 1) instanceof StagePlan.OfJob)) {
            plans.remove(plans.size() - 1);
            sections.remove(sections.size() - 1);
        }
    }

    /** A transform or sink needs a stream to work on: a source earlier in the same stream. */
    private static void checkOrder(List<StagePlan> before, StagePlan plan, ConfigSection section) {
        if (plan instanceof StagePlan.OfStage) {
            StagePlan previous = before.isEmpty() ? null : before.get(before.size() - 1);
            if (previous == null || previous instanceof StagePlan.OfJob) {
                throw new ConfigException(section.origin(), section.keyPath(), "stage \"" + plan.id() + "\" (type "
                        + plan.type() + ") works on a stream of items, so a source stage (e.g. image-folder) must come before it");
            }
        }
    }
}
