package dev.clpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinePlanTest {
    @TempDir
    Path temp;

    private Pipeline plan(String yaml) throws IOException {
        Path file = Files.writeString(temp.resolve("bad.yaml"), yaml);
        return Pipeline.plan(new ConfigLoader().load(file), BuiltinStages.registry());
    }

    private String error(String yaml) {
        return assertThrows(ConfigException.class, () -> plan(yaml)).getMessage();
    }

    @Test
    void aValidPipelinePlansEveryStageWithDefaults() throws IOException {
        Files.createDirectories(temp.resolve("photos"));
        Pipeline p = plan("""
                input: photos
                stages:
                  - {type: image-folder}
                  - {type: decode}
                  - {id: out, type: write-images, format: jpg}
                """);
        assertEquals(List.of("image-folder", "decode", "out"), p.stages().stream().map(StagePlan::id).toList());
        assertEquals("bad", p.settings().name());
        assertEquals(42, p.settings().seed());
        assertEquals("auto", p.settings().device());
    }

    @Test
    void anUnknownStageTypeIsNamedWithItsLineAndTheNearestType() {
        String message = error("""
                stages:
                  - type: image-folder
                    input: x
                  - type: decod
                """);
        assertTrue(message.contains("bad.yaml:4:"), message);
        assertTrue(message.contains("stages[1].type"), message);
        assertTrue(message.contains("did you mean 'decode'"), message);
    }

    @Test
    void anUnknownKeyInAStageIsAnErrorWithASuggestion() {
        String message = error("""
                stages:
                  - {type: image-folder, input: x, extensons: [png]}
                """);
        assertTrue(message.contains("extensons"), message);
        assertTrue(message.contains("did you mean 'extensions'"), message);
    }

    @Test
    void stagesNeedASourceBeforeThem() {
        assertTrue(error("stages:\n  - {type: decode}\n").contains("a source stage (e.g. image-folder) must come before it"));
    }

    @Test
    void duplicateIdsBadShardsAndEscapingOutputFoldersAreRefused() {
        assertTrue(error("""
                stages:
                  - {type: image-folder, input: x}
                  - {id: a, type: decode}
                  - {id: a, type: decode}
                """).contains("stage id \"a\" is used twice"));
        assertTrue(error("stages:\n  - {type: image-folder, input: x, shard: 3/2}\n").contains("expected i/n with 0 <= i < n"));
        assertTrue(error("""
                stages:
                  - {type: image-folder, input: x}
                  - {type: decode}
                  - {type: write-images, folder: ../../etc}
                """).contains("escapes the allowed folder"));
    }

    @Test
    void aMissingInputSaysHowToGiveOne() {
        assertTrue(error("stages:\n  - {type: image-folder}\n").contains("pass --input PATH"));
    }

    @Test
    void emptyPipelinesAndBadNamesAreRefused() {
        assertTrue(error("name: x\n").contains("at least one stage"));
        assertTrue(error("name: 'a/b'\nstages:\n  - {type: image-folder, input: x}\n").contains("it names a folder"));
    }

    @Test
    void everyShippedPipelineValidates() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("pipelines"))) {
            List<Path> yamls = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertTrue(!yamls.isEmpty());
            for (Path yaml : yamls) {
                Pipeline p = Pipeline.plan(new ConfigLoader().load(yaml), BuiltinStages.registry());
                assertTrue(!p.stages().isEmpty(), yaml.toString());
            }
        }
    }
}
