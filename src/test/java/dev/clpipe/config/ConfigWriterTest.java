package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesBlockYamlInSourceOrder() {
        Path p = TestFiles.write(dir, "p.yaml", """
                name: mnist
                train: {epochs: 3, lr: 0.01}
                stages:
                  - id: load
                    path: data/mnist
                  - [1, 2]
                empty: {}
                none: []
                nothing: null
                """);
        assertEquals("""
                name: mnist
                train:
                  epochs: 3
                  lr: 0.01
                stages:
                  - id: load
                    path: data/mnist
                  -
                    - 1
                    - 2
                empty: {}
                none: []
                nothing: null
                """, Config.load(p).toYaml());
    }

    @Test
    void roundTripKeepsEveryValue() {
        Path p = TestFiles.write(dir, "p.yaml", """
                strings: ["42", "yes", "true", "null", "", " pad ", "a: b", "#x", "0o17", "tab\\there", "q\\"uote",
                  "back\\\\slash", "-1", "1e3", ".inf", "line\\nbreak", "ünïcode", "x #y", "- item", "[x]", "{y}",
                  "&a", "*b", "!t", "%p", "@c", "`d", "|", ">", "?", "'s'"]
                numbers: [0, -7, 0.1, 1.0E-4, 123456789012, .inf, -.inf]
                bools: [true, false]
                nested: {a: {b: {c: [1, {d: e}]}}}
                "key with: colon": 1
                stages: [{id: x, opt: {a: {b: 1}}, l: [1, [2, [3]]], e: [], m: {}}, [], {}, [[{k: v}]]]
                "": empty key
                """);
        Config c = Config.load(p);
        Path out = dir.resolve("frozen.yaml");
        c.write(out);
        Config back = Config.load(out);
        assertEquals(c.tree().plain(), back.tree().plain());
        assertEquals(c.toYaml(), back.toYaml());
    }

    @Test
    void resolvedConfigIncludesBasesAndOverrides() {
        TestFiles.write(dir, "b.yaml", "a: 1\nb: {c: 2}\n");
        Path p = TestFiles.write(dir, "p.yaml", "base: b.yaml\nb: {d: 3}\n");
        Config c = new ConfigLoader().load(p, java.util.Map.of("seed", "9"), List.of("b.c=5"));
        assertEquals("a: 1\nb:\n  c: 5\n  d: 3\nseed: 9\n", c.toYaml());
    }

    @Test
    void nanSurvives() {
        Path p = TestFiles.write(dir, "p.yaml", "x: .nan\n");
        assertEquals("x: .nan\n", Config.load(p).toYaml());
    }
}
