package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ListReaderTest {

    @TempDir
    Path dir;

    private Path file;

    private ListReader lists(String yaml) {
        file = TestFiles.write(dir, "p.yaml", yaml);
        TrackedMap keys = new TrackedMap(Config.load(file).root().section("t").node(), "t");
        return new ListReader(new KeyReader(keys, new SectionErrors(keys)));
    }

    private String error(Executable e) {
        return assertThrows(ConfigException.class, e).getMessage();
    }

    @Test
    void aSingleScalarIsNotPromotedToAList() {
        ListReader l = lists("t:\n  mean: 3\n");
        assertEquals(file + ":2:9: t.mean: expected a list of numbers, found 3", error(() -> l.doubles("mean", null)));
    }

    @Test
    void itemErrorsNameTheItemAndItsOwnExpectation() {
        ListReader l = lists("t:\n  sizes: [1, 3000000000]\n  tags: [a, ~]\n  empty: []\n");
        assertEquals(file + ":2:14: t.sizes[1]: expected an integer, found 3000000000", error(() -> l.ints("sizes", null)));
        assertEquals(file + ":3:13: t.tags[1]: expected a string, found null", error(() -> l.strings("tags", null)));
        assertEquals(List.of(), l.strings("empty", List.of("x")));
    }

    @Test
    void absentListGivesTheDefaultOrSaysItIsMissing() {
        ListReader l = lists("t: {}\n");
        assertEquals(List.of(1, 2), l.ints("sizes", List.of(1, 2)));
        assertEquals(file + ":1:4: t.tags: expected a list of strings, found nothing (the key is missing)",
                error(() -> l.strings("tags", null)));
    }
}
