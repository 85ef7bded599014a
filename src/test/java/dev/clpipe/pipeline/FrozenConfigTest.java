package dev.clpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.config.Config;
import dev.clpipe.config.ConfigDiff;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config a run folder freezes is complete and rerunnable from anywhere: for every shipped
 * pipeline, the frozen config written into another folder plans again to the same complete config,
 * names every default, and holds no relative path.
 */
class FrozenConfigTest {
    @TempDir
    Path temp;

    private static Pipeline plan(Path yaml) {
        return Pipeline.plan(new ConfigLoader(dev.clpipe.config.YamlLimits.DEFAULT, List.of(Path.of("pipelines").toAbsolutePath())).load(yaml),
                BuiltinStages.registry());
    }

    @Test
    void everyShippedPipelineFreezesToAConfigThatPlansAgainFromAnotherFolder() throws IOException {
        List<Path> yamls;
        try (Stream<Path> files = Files.list(Path.of("pipelines"))) {
            yamls = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Path yaml : yamls) {
            Pipeline first;
            try {
                first = plan(yaml);
            } catch (MissingInputException e) {
                continue; // data not fetched here (PipelinePlanTest says which may be absent)
            }
            Config frozen = first.frozenConfig();
            Path elsewhere = Files.createDirectories(temp.resolve(yaml.getFileName().toString().replace(".yaml", ""))).resolve("config.yaml");
            frozen.write(elsewhere);
            try {
                Config again = plan(elsewhere).frozenConfig();
                List<String> keys = ConfigDiff.keys(frozen.tree(), again.tree(), Set.of());
                if (!keys.isEmpty()) failures.add(yaml + ": replanning changed " + keys);
            } catch (RuntimeException e) {
                failures.add(yaml + ": " + e.getMessage());
            }
            checked++;
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(checked >= yamls.size() / 2, "planned " + checked + " of " + yamls.size());
    }

    @Test
    void defaultsAreFilledAndPathsAreAbsolute() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("exp"));
        Files.createDirectories(dir.resolve("photos"));
        Path yaml = Files.writeString(dir.resolve("p.yaml"), """
                name: convert
                input: photos
                stages:
                  - {type: image-folder}
                  - {type: decode}
                  - {type: write-images}
                """);
        String frozen = plan(yaml).frozenConfig().toYaml();
        assertTrue(frozen.contains("input: " + dir.resolve("photos").toAbsolutePath().normalize()), frozen);
        assertTrue(frozen.contains("out: /"), "out absolute: " + frozen);
        assertTrue(frozen.contains("batch: "), "defaults filled: " + frozen);
        assertTrue(frozen.contains("seed: "), frozen);
        assertEquals(frozen, plan(Files.writeString(temp.resolve("copy.yaml"), frozen)).frozenConfig().toYaml(), "freezing is idempotent");
    }
}
