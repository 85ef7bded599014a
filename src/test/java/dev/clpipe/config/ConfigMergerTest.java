package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMergerTest {

    private static ConfigMap tree(String yaml) {
        return (ConfigMap) new YamlReader().parse(yaml, null, "t.yaml");
    }

    @Test
    void mapsMergeListsAndScalarsReplace() {
        ConfigMap merged = ConfigMerger.merge(
                tree("a: {x: 1, y: [1, 2], z: {deep: 1, keep: 2}}\nb: 1\n"),
                tree("a: {y: [3], z: {deep: 9}}\nb: {now: map}\nc: new\n"));
        assertEquals(Map.of("a", Map.of("x", 1L, "y", List.of(3L), "z", Map.of("deep", 9L, "keep", 2L)),
                "b", Map.of("now", "map"), "c", "new"), merged.plain());
    }

    @Test
    void childNullReplacesBaseValue() {
        Map<?, ?> m = (Map<?, ?>) ConfigMerger.merge(tree("a: 1\n"), tree("a: null\n")).plain();
        assertEquals(true, m.containsKey("a"));
        assertEquals(null, m.get("a"));
    }

    @Test
    void mapReplacedByScalar() {
        assertEquals(Map.of("a", 5L), ConfigMerger.merge(tree("a: {x: 1}\n"), tree("a: 5\n")).plain());
    }
}
