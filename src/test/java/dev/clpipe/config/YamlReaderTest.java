package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlReaderTest {

    @TempDir
    Path dir;

    private ConfigNode read(String text) {
        return new YamlReader().read(TestFiles.write(dir, "p.yaml", text));
    }

    private String error(String text) {
        return assertThrows(ConfigException.class, () -> read(text)).getMessage();
    }

    private String file() {
        return dir.resolve("p.yaml").toString();
    }

    @Test
    void scalarsAreTypedByYaml12CoreSchema() {
        ConfigMap m = (ConfigMap) read("""
                i: 42
                hex: 0x1F
                f: 1.5e-3
                t: true
                yes_is_text: yes
                n: ~
                s: "42"
                date: 2024-01-02
                inf: -.inf
                big: 123456789012345678901234
                tagged: !!str 7
                """);
        Map<?, ?> p = (Map<?, ?>) m.plain();
        assertEquals(42L, p.get("i"));
        assertEquals(31L, p.get("hex"));
        assertEquals(1.5e-3, p.get("f"));
        assertEquals(true, p.get("t"));
        assertEquals("yes", p.get("yes_is_text"));
        assertEquals(null, p.get("n"));
        assertEquals("42", p.get("s"));
        assertEquals("2024-01-02", p.get("date"));
        assertEquals(Double.NEGATIVE_INFINITY, p.get("inf"));
        assertEquals(1.2345678901234568E23, p.get("big"));
        assertEquals("7", p.get("tagged"));
    }

    @Test
    void nodesKnowFileLineAndColumn() {
        ConfigMap m = (ConfigMap) read("""
                train:
                  epochs: 10
                  lr:    0.5
                """);
        ConfigMap train = (ConfigMap) m.get("train");
        assertEquals(file() + ":3:10", train.get("lr").origin().toString());
        assertEquals(file() + ":3:3", train.keyOrigin("lr").toString());
        assertEquals(2, train.get("epochs").origin().line());
    }

    @Test
    void keyOrderIsSourceOrder() {
        ConfigMap m = (ConfigMap) read("z: 1\na: 2\nm: 3\n");
        assertEquals(List.of("z", "a", "m"), List.copyOf(m.keys()));
    }

    @Test
    void emptyFileIsEmptyMap() {
        assertEquals(Map.of(), read("# nothing\n").plain());
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder y = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 9; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        String msg = error(y.toString());
        assertEquals(file() + ": refused: more than 50 aliases to maps or lists"
                + " (this looks like a 'billion laughs' alias bomb)", msg);
    }

    @Test
    void aliasBombUnderTheAliasLimitHitsTheNodeBudget() {
        // 20 levels x 2 aliases = 40 aliases, but 2^20 leaves
        StringBuilder y = new StringBuilder("l0: &l0 [x, x]\n");
        for (int i = 1; i <= 20; i++) {
            y.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append("]\n");
        }
        String msg = error(y.toString());
        assertTrue(msg.contains("refused: the document expands to more than 250000 values"), msg);
    }

    @Test
    void smallAliasesAndMergeKeysWork() {
        ConfigMap m = (ConfigMap) read("""
                defaults: &d {lr: 0.1, epochs: 3}
                train:
                  <<: *d
                  lr: 0.2
                """);
        assertEquals(Map.of("lr", 0.2, "epochs", 3L), ((ConfigMap) m.get("train")).plain());
    }

    @Test
    void javaTagIsRefusedWithPosition() {
        String msg = error("""
                ok: 1
                evil: !!java.lang.ProcessBuilder [calc]
                """);
        assertEquals(file() + ":2:7: evil: refused unsafe YAML tag '!!java.lang.ProcessBuilder':"
                + " custom tags are not allowed in configs", msg);
    }

    @Test
    void allCustomTagsAreReportedTogether() {
        String msg = error("""
                a: !!python/object:os.system ls
                b: !custom 3
                c: !!binary aGVsbG8=
                """);
        List<String> lines = msg.lines().toList();
        assertEquals(3, lines.size(), msg);
        assertTrue(lines.get(0).startsWith(file() + ":1:4: a: refused unsafe YAML tag '!!python/object:os.system'"));
        assertTrue(lines.get(1).startsWith(file() + ":2:4: b: refused unsafe YAML tag '!custom'"));
        assertTrue(lines.get(2).startsWith(file() + ":3:4: c: refused unsafe YAML tag '!!binary'"));
    }

    @Test
    void duplicateKeysAreRefused() {
        String msg = error("""
                train:
                  lr: 0.1
                  epochs: 2
                  lr: 0.2
                """);
        assertEquals(file() + ":4:3: train.lr: duplicate key 'lr' (first written at line 2)", msg);
    }

    @Test
    void tooDeepNestingIsRefused() {
        String deep = "[".repeat(70) + "]".repeat(70);
        String msg = error("x: " + deep + "\n");
        assertTrue(msg.startsWith(file()), msg);
        assertTrue(msg.contains("refused: maps and lists nested deeper than 64 levels"), msg);
    }

    @Test
    void oversizedDocumentIsRefused() {
        YamlReader small = new YamlReader(new YamlLimits(100, 64, 50, 1000));
        Path p = TestFiles.write(dir, "big.yaml", "k: " + "x".repeat(200) + "\n");
        String msg = assertThrows(ConfigException.class, () -> small.read(p)).getMessage();
        assertEquals(p + ": refused: document larger than 100 characters", msg);
    }

    @Test
    void syntaxErrorNamesLineAndColumn() {
        String msg = error("""
                a: 1
                b: [1, 2
                c: 3
                """);
        assertTrue(msg.startsWith(file() + ":3:2: invalid YAML"), msg);
    }

    @Test
    void multipleDocumentsAreRefused() {
        String msg = error("a: 1\n---\nb: 2\n");
        assertTrue(msg.contains("expected one YAML document"), msg);
    }

    @Test
    void recursiveAliasIsRefused() {
        String msg = error("a: &x [1, *x]\n");
        assertTrue(msg.contains("refused"), msg);
    }

    @Test
    void missingFileIsReported() {
        Path p = dir.resolve("nope.yaml");
        String msg = assertThrows(ConfigException.class, () -> new YamlReader().read(p)).getMessage();
        assertEquals(p + ": file not found", msg);
    }

    @Test
    void invalidUtf8IsRefused() throws Exception {
        Path p = dir.resolve("bad.yaml");
        java.nio.file.Files.write(p, new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28});
        String msg = assertThrows(ConfigException.class, () -> new YamlReader().read(p)).getMessage();
        assertEquals(p + ": not valid UTF-8 text", msg);
    }
}
