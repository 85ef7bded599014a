package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ConfigSectionTest {

    @TempDir
    Path dir;

    enum Optimizer { SGD, ADAM }

    private Path file;

    private ConfigSection root(String yaml) {
        file = TestFiles.write(dir, "pipelines/mnist.yaml", yaml);
        return Config.load(file).root();
    }

    private String error(Executable e) {
        return assertThrows(ConfigException.class, e).getMessage();
    }

    @Test
    void readsTypedValuesWithDefaults() {
        ConfigSection train = root("""
                train:
                  epochs: 20
                  lr: 0.5
                  momentum: 1
                  optimizer: adam
                  shuffle: false
                  mean: [0.5, 1, 2.5]
                  sizes: [28, 32]
                  tags: [a, 3]
                  seed: 12345678901
                """).section("train");
        assertEquals(20, train.intIn("epochs", 1, 100_000, 10));
        assertEquals(0.5, train.positiveDouble("lr", 0.01));
        assertEquals(1.0, train.doubleIn("momentum", 0, 1, 0.9));
        assertEquals("adam", train.choice("optimizer", List.of("sgd", "adam"), "sgd"));
        assertEquals(Optimizer.ADAM, train.choice("optimizer", Optimizer.class, Optimizer.SGD));
        assertFalse(train.bool("shuffle", true));
        assertEquals(List.of(0.5, 1.0, 2.5), train.doubleList("mean", List.of()));
        assertEquals(List.of(28, 32), train.intList("sizes", List.of()));
        assertEquals(List.of("a", "3"), train.stringList("tags", List.of()));
        assertEquals(12345678901L, train.longValue("seed"));
        assertEquals("auto", train.string("device", "auto"));
        assertEquals(7, train.integer("batch", 7));
        assertEquals(OptionalInt.empty(), train.optionalInt("workers"));
        assertEquals(OptionalDouble.empty(), train.optionalDouble("decay"));
        assertEquals(Optional.empty(), train.optionalString("note"));
        train.rejectUnknownKeys();
    }

    @Test
    void wrongTypeNamesFileLineColumnPathExpectedAndFound() {
        ConfigSection train = root("""
                name: x
                train:
                  lr: fast
                """).section("train");
        assertEquals(file + ":3:7: train.lr: expected a positive number, found \"fast\"",
                error(() -> train.positiveDouble("lr", 0.01)));
    }

    @Test
    void rangeErrors() {
        ConfigSection t = root("t:\n  epochs: 0\n  ratio: 1.5\n  n: 2.5\n  flag: yes\n").section("t");
        assertEquals(file + ":2:11: t.epochs: expected an integer from 1 to 100000, found 0",
                error(() -> t.intIn("epochs", 1, 100_000, 10)));
        assertEquals(file + ":3:10: t.ratio: expected a number from 0 to 1, found 1.5",
                error(() -> t.doubleIn("ratio", 0, 1, 0.5)));
        assertEquals(file + ":4:6: t.n: expected an integer, found 2.5", error(() -> t.integer("n", 1)));
        assertEquals(file + ":5:9: t.flag: expected true or false, found \"yes\"", error(() -> t.bool("flag", true)));
    }

    @Test
    void missingRequiredKeyPointsAtSection() {
        ConfigSection t = root("a: 1\nt:\n  x: 1\n").section("t");
        assertEquals(file + ":3:3: t.epochs: expected an integer, found nothing (the key is missing)",
                error(() -> t.integer("epochs")));
    }

    @Test
    void descriptionAppearsInErrorsAndDocumentation() {
        ConfigSection t = root("t:\n  lr: -1\n").section("t");
        t.describe("lr", "learning rate of the optimizer");
        assertEquals(file + ":2:7: t.lr: expected a positive number (learning rate of the optimizer), found -1",
                error(() -> t.positiveDouble("lr", 0.01)));
        t.describe("epochs", "passes over the data").intIn("epochs", 1, 10, 3);
        assertEquals(List.of(
                new KeyDoc("t.lr", "a positive number", "0.01", "learning rate of the optimizer"),
                new KeyDoc("t.epochs", "an integer from 1 to 10", "3", "passes over the data")),
                t.documentation());
    }

    @Test
    void choiceSuggestsNearest() {
        ConfigSection t = root("t:\n  optimizer: adma\n").section("t");
        assertEquals(file + ":2:14: t.optimizer: expected one of sgd, adam, found \"adma\"; did you mean 'adam'?",
                error(() -> t.choice("optimizer", List.of("sgd", "adam"), "sgd")));
    }

    @Test
    void unknownKeysAreRejectedWithSuggestion() {
        ConfigSection train = root("""
                train:
                  epochs: 3
                  lr: 0.1
                  epocs: 12
                  zzz_totally_new: 1
                """).section("train");
        train.intIn("epochs", 1, 100, 10);
        train.positiveDouble("lr", 0.01);
        assertEquals(file + ":4:3: train.epocs: unknown key 'epocs'; did you mean 'epochs'?\n"
                + file + ":5:3: train.zzz_totally_new: unknown key 'zzz_totally_new'; known keys are epochs, lr",
                error(train::rejectUnknownKeys));
    }

    @Test
    void keysAskedForButAbsentStillCountAsKnown() {
        ConfigSection t = root("t:\n  batchsize: 3\n").section("t");
        t.integer("batch_size", 32);
        assertTrue(error(t::rejectUnknownKeys).endsWith("did you mean 'batch_size'?"));
    }

    @Test
    void deepRejectCoversChildrenAndListItemsById() {
        ConfigSection root = root("""
                stages:
                  - id: load
                    pth: x
                  - lr: 1
                    lrr: 2
                trian: {}
                """);
        for (ConfigSection s : root.sectionList("stages")) {
            s.optionalString("id");
            s.optionalString("path");
            s.optionalDouble("lr");
        }
        root.section("train");
        List<String> lines = error(root::rejectUnknownKeysDeep).lines().toList();
        assertEquals(List.of(
                file + ":6:1: trian: unknown key 'trian'; did you mean 'train'?",
                file + ":3:5: stages[load].pth: unknown key 'pth'; did you mean 'path'?",
                file + ":5:5: stages[1].lrr: unknown key 'lrr'; did you mean 'lr'?"), lines);
    }

    @Test
    void sectionListErrors() {
        ConfigSection root = root("stages: [1]\nother: 3\n");
        assertEquals(file + ":1:10: stages[0]: expected a map of settings, found 1",
                error(() -> root.sectionList("stages")));
        assertEquals(file + ":2:8: other: expected a list of maps, found 3", error(() -> root.sectionList("other")));
        assertEquals(file + ":2:8: other: expected a map of settings, found 3", error(() -> root.section("other")));
        assertEquals(List.of(), root.sectionList("absent"));
    }

    @Test
    void listItemErrorsNameTheIndex() {
        ConfigSection t = root("t:\n  mean: [0.5, x]\n").section("t");
        assertEquals(file + ":2:15: t.mean[1]: expected a number, found \"x\"",
                error(() -> t.doubleList("mean", List.of())));
    }

    @Test
    void nullValueMeansDefault() {
        ConfigSection t = root("t:\n  lr: null\n").section("t");
        assertEquals(0.01, t.positiveDouble("lr", 0.01));
    }

    @Test
    void pathsResolveAgainstTheDefiningFile() {
        TestFiles.write(dir, "pipelines/_base/b.yaml", "data: imgs\n");
        ConfigSection root = root("base: _base/b.yaml\nout: results\nabs: /tmp/x\n");
        assertEquals(dir.resolve("pipelines/_base/imgs").toAbsolutePath(), root.path("data"));
        assertEquals(dir.resolve("pipelines/results").toAbsolutePath(), root.path("out"));
        assertEquals(Path.of("/tmp/x"), root.path("abs"));
        assertEquals(Optional.empty(), root.optionalPath("none"));
    }

    @Test
    void pathInsideRefusesTraversal() {
        ConfigSection root = root("out: ../../etc\nok: sub/dir\n");
        Path runs = dir.resolve("runs");
        assertEquals(runs.resolve("sub/dir").toAbsolutePath(), root.pathInside("ok", runs));
        String msg = error(() -> root.pathInside("out", runs));
        assertTrue(msg.startsWith(file + ":1:6: out: path '../../etc' escapes the allowed folder "), msg);
    }

    @Test
    void stageErrorHelperPointsAtKey() {
        ConfigSection t = root("t:\n  crop: 64\n").section("t");
        assertEquals(file + ":2:9: t.crop: crop must not exceed the image size 28",
                t.error("crop", "crop must not exceed the image size 28").getMessage());
    }

    @Test
    void validatorCollectsProblemsFromSeveralChecks() {
        ConfigSection root = root("a: x\nb: y\n");
        ConfigValidator v = new ConfigValidator()
                .check(() -> root.integer("a"))
                .check(() -> root.bool("b"))
                .check(() -> root.string("c", "ok"));
        assertEquals(2, v.problems().size());
        String msg = error(v::throwIfAny);
        assertEquals(file + ":1:4: a: expected an integer, found \"x\"\n"
                + file + ":2:4: b: expected true or false, found \"y\"", msg);
    }

    @Test
    void overrideOriginShowsInErrors() {
        Path p = TestFiles.write(dir, "p.yaml", "train: {lr: 0.1}\n");
        ConfigSection train = Config.load(p).withSets(List.of("train.lr=fast")).root().section("train");
        assertEquals("--set train.lr=fast: train.lr: expected a positive number, found \"fast\"",
                error(() -> train.positiveDouble("lr", 0.01)));
    }

    @Test
    void longValuesAreShortenedInMessages() {
        ConfigSection root = root("lr: " + "x".repeat(500) + "\n");
        String msg = error(() -> root.positiveDouble("lr"));
        assertTrue(msg.endsWith("found \"" + "x".repeat(76) + "..."), msg);
    }

    @Test
    void readingASectionTwiceSharesWhatWasRead() {
        ConfigSection root = root("train:\n  lr: 0.1\n  epochs: 2\nstages:\n  - id: a\n");
        root.section("train").positiveDouble("lr");
        root.section("train").integer("epochs");
        root.sectionList("stages").get(0).string("id");
        assertEquals(root.sectionList("stages"), root.sectionList("stages"));
        root.rejectUnknownKeysDeep();
    }
}
