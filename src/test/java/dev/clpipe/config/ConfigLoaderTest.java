package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) {
        return TestFiles.write(dir, name, text);
    }

    @Test
    void deepMergesMapsReplacesListsAndChildWins() {
        write("_base/train.yaml", """
                train:
                  epochs: 10
                  lr: 0.1
                  optimizer: {name: sgd, momentum: 0.9}
                  augment: [flip, crop]
                device: cpu
                """);
        Path p = write("mnist.yaml", """
                base: _base/train.yaml
                train:
                  lr: 0.01
                  optimizer: {momentum: 0.5}
                  augment: [flip]
                name: mnist
                """);
        Config c = Config.load(p);
        assertEquals(Map.of("train", Map.of("epochs", 10L, "lr", 0.01,
                        "optimizer", Map.of("name", "sgd", "momentum", 0.5), "augment", List.of("flip")),
                "device", "cpu", "name", "mnist"), c.tree().plain());
        assertEquals(List.of("train", "device", "name"), List.copyOf(c.tree().keys()));
        assertEquals(List.of("epochs", "lr", "optimizer", "augment"),
                List.copyOf(((ConfigMap) c.tree().get("train")).keys()));
    }

    @Test
    void inheritedValuesKeepTheirOwnFileAndLine() {
        Path base = write("_base/train.yaml", "train:\n  epochs: 10\n");
        Path p = write("mnist.yaml", "base: _base/train.yaml\ntrain:\n  lr: 0.5\n");
        ConfigMap train = (ConfigMap) Config.load(p).tree().get("train");
        assertEquals(base.toString() + ":2:11", train.get("epochs").origin().toString());
        assertEquals(p + ":3:7", train.get("lr").origin().toString());
    }

    @Test
    void multiLevelChainsResolveRecursively() {
        write("a.yaml", "x: 1\ny: 1\nz: 1\n");
        write("b.yaml", "base: a.yaml\ny: 2\nz: 2\n");
        Path c = write("c.yaml", "base: b.yaml\nz: 3\n");
        assertEquals(Map.of("x", 1L, "y", 2L, "z", 3L), Config.load(c).tree().plain());
    }

    @Test
    void listOfBasesLaterBaseWins() {
        write("one.yaml", "a: 1\nb: 1\n");
        write("two.yaml", "b: 2\nc: 2\n");
        Path p = write("p.yaml", "base: [one.yaml, two.yaml]\nc: 3\n");
        assertEquals(Map.of("a", 1L, "b", 2L, "c", 3L), Config.load(p).tree().plain());
    }

    @Test
    void cyclesAreRefused() {
        write("a.yaml", "base: b.yaml\n");
        write("b.yaml", "base: a.yaml\n");
        Path p = dir.resolve("a.yaml");
        String msg = assertThrows(ConfigException.class, () -> Config.load(p)).getMessage();
        assertTrue(msg.contains("base: base files form a cycle"), msg);
        assertTrue(msg.contains("a.yaml -> ") && msg.contains("b.yaml -> "), msg);
    }

    @Test
    void selfBaseIsACycle() {
        Path p = write("self.yaml", "base: self.yaml\n");
        assertTrue(assertThrows(ConfigException.class, () -> Config.load(p)).getMessage().contains("cycle"));
    }

    @Test
    void pathTraversalInBaseIsRefused() {
        Path p = write("pipelines/x.yaml", "a: 1\nbase: ../../etc/passwd\n");
        String msg = assertThrows(ConfigException.class, () -> Config.load(p)).getMessage();
        assertTrue(msg.startsWith(p + ":2:7: base: base file '../../etc/passwd' is outside the allowed folders"), msg);
    }

    @Test
    void absoluteBaseOutsideIsRefused() {
        Path outside = write("secret/s.yaml", "k: 1\n");
        Path p = write("pipelines/x.yaml", "base: " + outside + "\n");
        String msg = assertThrows(ConfigException.class, () -> Config.load(p)).getMessage();
        assertTrue(msg.contains("is outside the allowed folders"), msg);
    }

    @Test
    void symlinkEscapeIsRefused() throws Exception {
        Path outside = write("secret/s.yaml", "k: 1\n");
        Files.createDirectories(dir.resolve("pipelines"));
        Files.createSymbolicLink(dir.resolve("pipelines/link.yaml"), outside);
        Path p = write("pipelines/x.yaml", "base: link.yaml\n");
        String msg = assertThrows(ConfigException.class, () -> Config.load(p)).getMessage();
        assertTrue(msg.contains("is outside the allowed folders"), msg);
    }

    @Test
    void sharedPiecesInTheTopFolderAreAllowedFromSubfolders() {
        write("pipelines/common.yaml", "seed: 7\n");
        write("pipelines/_base/train.yaml", "base: ../common.yaml\nlr: 1\n");
        Path p = write("pipelines/mnist.yaml", "base: _base/train.yaml\n");
        assertEquals(Map.of("seed", 7L, "lr", 1L), Config.load(p).tree().plain());
    }

    @Test
    void configuredAllowedRootPermitsSharedFolder() {
        write("shared/s.yaml", "k: 1\n");
        Path p = write("pipelines/x.yaml", "base: ../shared/s.yaml\n");
        ConfigLoader loader = new ConfigLoader(YamlLimits.DEFAULT, List.of(dir.resolve("shared")));
        assertEquals(Map.of("k", 1L), loader.load(p).tree().plain());
    }

    @Test
    void missingBaseNamesPosition() {
        Path p = write("x.yaml", "base: nothere.yaml\n");
        String msg = assertThrows(ConfigException.class, () -> Config.load(p)).getMessage();
        assertTrue(msg.startsWith(p + ":1:7: base: base file not found: "), msg);
    }

    @Test
    void baseMustBePathOrList() {
        Path p = write("x.yaml", "base: {a: 1}\n");
        String msg = assertThrows(ConfigException.class, () -> Config.load(p)).getMessage();
        assertEquals(p + ":1:7: base: expected a file path or a list of file paths, found a map", msg);
    }

    @Test
    void topLevelMustBeAMap() {
        Path p = write("x.yaml", "- 1\n- 2\n");
        String msg = assertThrows(ConfigException.class, () -> Config.load(p)).getMessage();
        assertEquals(p + ":1:1: expected a map of settings at the top of the file, found a list", msg);
    }

    @Test
    void flagsThenSetsAreApplied() {
        Path p = write("x.yaml", "seed: 1\ntrain: {lr: 0.1}\n");
        Config c = new ConfigLoader().load(p, Map.of("seed", "42", "device", "gpu"), List.of("train.lr=0.5"));
        assertEquals(Map.of("seed", 42L, "train", Map.of("lr", 0.5), "device", "gpu"), c.tree().plain());
    }

    @Test
    void diamondIsNotACycle() {
        write("d.yaml", "x: 1\n");
        write("b.yaml", "base: d.yaml\ny: 2\n");
        write("c.yaml", "base: d.yaml\nz: 3\n");
        Path a = write("a.yaml", "base: [b.yaml, c.yaml]\n");
        assertEquals(Map.of("x", 1L, "y", 2L, "z", 3L), Config.load(a).tree().plain());
    }

    @Test
    void baseFanOutIsBounded() {
        // each level names the next one 4 times: 4^5 = 1024 reads without the budget
        for (int i = 0; i < 5; i++) {
            String next = "l" + (i + 1) + ".yaml";
            write("l" + i + ".yaml", "base: [" + String.join(", ", next, next, next, next) + "]\n");
        }
        write("l5.yaml", "x: 1\n");
        String msg = assertThrows(ConfigException.class, () -> Config.load(dir.resolve("l0.yaml"))).getMessage();
        assertTrue(msg.contains("base: more than 256 files read through base:"), msg);
    }

    @Test
    void tooLongChainIsRefused() {
        for (int i = 0; i < 40; i++) {
            write("c" + i + ".yaml", "base: c" + (i + 1) + ".yaml\n");
        }
        write("c40.yaml", "x: 1\n");
        String msg = assertThrows(ConfigException.class, () -> Config.load(dir.resolve("c0.yaml"))).getMessage();
        assertTrue(msg.contains("more than 32 levels of base files"), msg);
    }
}
