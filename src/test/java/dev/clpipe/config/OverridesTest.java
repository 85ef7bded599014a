package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverridesTest {

    private static ConfigMap tree(String yaml) {
        return (ConfigMap) new YamlReader().parse(yaml, null, "t.yaml");
    }

    private static final String PIPE = """
            train: {lr: 0.1, epochs: 3}
            stages:
              - id: load
                path: data
              - id: train
                lr: 0.1
            """;

    private static Object at(ConfigMap m, String... keys) {
        Object o = m.plain();
        for (String k : keys) {
            o = o instanceof List<?> l ? l.get(Integer.parseInt(k)) : ((Map<?, ?>) o).get(k);
        }
        return o;
    }

    private static String error(ConfigMap root, String... sets) {
        return assertThrows(ConfigException.class, () -> Overrides.applySets(root, List.of(sets))).getMessage();
    }

    @Test
    void valuesAreParsedAsYamlScalars() {
        ConfigMap m = Overrides.applySets(tree(PIPE), List.of("train.lr=0.5", "train.epochs=7",
                "train.shuffle=false", "train.name=fast run", "train.sizes=[1, 2]", "train.quoted='12'"));
        assertEquals(0.5, at(m, "train", "lr"));
        assertEquals(7L, at(m, "train", "epochs"));
        assertEquals(false, at(m, "train", "shuffle"));
        assertEquals("fast run", at(m, "train", "name"));
        assertEquals(List.of(1L, 2L), at(m, "train", "sizes"));
        assertEquals("12", at(m, "train", "quoted"));
    }

    @Test
    void overriddenValuesRecordTheirSource() {
        ConfigMap m = Overrides.applySet(tree(PIPE), "train.lr=0.5");
        assertEquals("--set train.lr=0.5", ((ConfigMap) m.get("train")).get("lr").origin().toString());
    }

    @Test
    void listItemsByIndexAndById() {
        ConfigMap m = Overrides.applySets(tree(PIPE), List.of("stages.0.path=other", "stages[train].lr=0.01"));
        assertEquals("other", at(m, "stages", "0", "path"));
        assertEquals(0.01, at(m, "stages", "1", "lr"));
        assertEquals("load", at(m, "stages", "0", "id"));
    }

    @Test
    void missingKeysAreCreated() {
        ConfigMap m = Overrides.applySet(tree(PIPE), "eval.metrics.top_k=5");
        assertEquals(5L, at(m, "eval", "metrics", "top_k"));
    }

    @Test
    void emptyValueIsNull() {
        assertEquals(null, at(Overrides.applySet(tree(PIPE), "train.lr="), "train", "lr"));
    }

    @Test
    void unknownIdSuggestsNearest() {
        assertEquals("--set stages[trian].lr=1: stages: no item with id 'trian'; ids are [load, train];"
                + " did you mean 'train'?", error(tree(PIPE), "stages[trian].lr=1"));
    }

    @Test
    void indexOutOfRange() {
        assertEquals("--set stages.5.lr=1: stages: index 5 is out of range; the list has 2 items",
                error(tree(PIPE), "stages.5.lr=1"));
    }

    @Test
    void cannotDescendIntoScalar() {
        assertEquals("--set train.lr.x=1: train.lr: cannot set 'x' inside 0.1 (written at t.yaml:1:13);"
                + " only maps and lists have keys", error(tree(PIPE), "train.lr.x=1"));
    }

    @Test
    void malformedSetsAreAllReported() {
        List<String> lines = error(tree(PIPE), "nolabel", "a..b=1", "x[1=2", "base=other.yaml").lines().toList();
        assertEquals(List.of(
                "--set nolabel: expected --set key.path=value, found no '='",
                "--set a..b=1: a..b: key path 'a..b' has an empty part",
                "--set x[1=2: x[1: key path 'x[1' has '[' without ']'",
                "--set base=other.yaml: base: 'base' cannot be overridden; it is resolved when the file is read"),
                lines);
    }

    @Test
    void unsafeTagInValueIsRefused() {
        assertTrue(error(tree(PIPE), "train.lr=!!java.lang.Runtime x").contains("refused unsafe YAML tag"));
    }

    @Test
    void commonFlagsMapToTopLevelKeys() {
        Map<String, String> flags = new HashMap<>();
        flags.put("input", "data/mnist");
        flags.put("out", "runs");
        flags.put("device", "0:1");
        flags.put("seed", "123");
        ConfigMap m = Overrides.applyFlags(tree(PIPE), flags);
        assertEquals("data/mnist", at(m, "input"));
        assertEquals("runs", at(m, "out"));
        assertEquals("0:1", at(m, "device"));
        assertEquals(123L, at(m, "seed"));
        assertEquals("--seed 123", m.get("seed").origin().toString());
    }

    @Test
    void nullFlagsAreSkippedAndBadSeedRefused() {
        Map<String, String> flags = new HashMap<>();
        flags.put("input", null);
        assertEquals(tree(PIPE).plain(), Overrides.applyFlags(tree(PIPE), flags).plain());
        String msg = assertThrows(ConfigException.class,
                () -> Overrides.applyFlags(tree(PIPE), Map.of("seed", "abc"))).getMessage();
        assertEquals("--seed abc: seed: expected an integer, found \"abc\"", msg);
        assertThrows(IllegalArgumentException.class, () -> Overrides.applyFlags(tree(PIPE), Map.of("color", "x")));
    }

    @Test
    void overridingKeepsTheKeyPositionOfExistingKeys() {
        ConfigMap m = Overrides.applySet(tree(PIPE), "train.lr=0.5");
        assertEquals("t.yaml:1:1", m.keyOrigin("train").toString());
        assertEquals("t.yaml:1:9", ((ConfigMap) m.get("train")).keyOrigin("lr").toString());
        ConfigMap n = Overrides.applySet(tree(PIPE), "eval.k=1");
        assertEquals("--set eval.k=1", n.keyOrigin("eval").toString());
    }
}
