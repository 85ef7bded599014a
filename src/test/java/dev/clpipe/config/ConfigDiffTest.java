package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDiffTest {
    @TempDir
    Path dir;

    private Config load(String yaml) throws Exception {
        return new ConfigLoader().load(Files.writeString(dir.resolve("p" + yaml.hashCode() + ".yaml"), yaml));
    }

    @Test
    void listsTheKeysThatDifferNamingStagesByTheirId() throws Exception {
        Config a = load("""
                name: x
                batch: 4
                out: runs
                stages:
                  - {id: read, type: image-folder}
                  - {id: write, type: write-images, format: png}
                """);
        Config b = load("""
                name: x
                batch: 4.0
                out: elsewhere
                seed: 7
                stages:
                  - {id: read, type: image-folder}
                  - {id: write, type: write-images, format: jpg}
                """);
        assertEquals(List.of("stages[write].format", "seed"), ConfigDiff.keys(a.tree(), b.tree(), Set.of("out")));
        assertEquals(List.of("out", "stages[write].format", "seed"), ConfigDiff.keys(a.tree(), b.tree(), Set.of()));
        assertEquals(List.of(), ConfigDiff.keys(a.tree(), a.tree(), Set.of()));
    }

    @Test
    void theWrittenConfigReadsBackWithoutDifferences() throws Exception {
        Config a = load("""
                name: "odd: name"
                seed: 12345678901234
                ratio: 0.1
                stages:
                  - {id: s, type: t, list: [1, 2.5, "x y"], nested: {deep: true, empty: []}}
                """);
        Path written = dir.resolve("config.yaml");
        a.write(written);
        assertEquals(List.of(), ConfigDiff.keys(Config.load(written).tree(), a.tree(), Set.of()));
    }
}
