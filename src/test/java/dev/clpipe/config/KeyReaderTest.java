package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyReaderTest {

    @TempDir
    Path dir;

    private Path file;

    private KeyReader reader(String yaml) {
        file = TestFiles.write(dir, "p.yaml", yaml);
        TrackedMap keys = new TrackedMap(Config.load(file).root().section("t").node(), "t");
        return new KeyReader(keys, new SectionErrors(keys));
    }

    @Test
    void readConvertsRecordsTheDefaultAndRefusesWhatTheConversionRefuses() {
        KeyReader r = reader("t:\n  a: 3\n  b: x\n");
        assertEquals(3L, r.read("a", "an integer", 7L, ScalarValues::integer));
        assertEquals(7L, r.read("absent", "an integer", 7L, ScalarValues::integer));
        ConfigException e = assertThrows(ConfigException.class, () -> r.read("b", "an integer", 7L, ScalarValues::integer));
        assertEquals(file + ":3:6: t.b: expected an integer, found \"x\"", e.getMessage());
        assertEquals(List.of(new KeyDoc("t.a", "an integer", "7", ""), new KeyDoc("t.absent", "an integer", "7", ""),
                new KeyDoc("t.b", "an integer", "7", "")), r.keys().documentation());
    }

    @Test
    void readOptionalGivesNullWhenAbsentOrNullAndDocumentsNone() {
        KeyReader r = reader("t:\n  a: ~\n");
        assertNull(r.readOptional("a", "a string", ScalarValues::text));
        assertNull(r.readOptional("b", "a string", ScalarValues::text));
        assertEquals(List.of(new KeyDoc("t.a", "a string", "none", ""), new KeyDoc("t.b", "a string", "none", "")),
                r.keys().documentation());
        assertEquals(List.of(), r.keys().unknownKeys());
    }

    @Test
    void ifPresentReadsOnlyPresentKeysAndDocumentsAbsentOnesAsOptional() {
        KeyReader r = reader("t:\n  a: 4\n");
        assertEquals(Optional.of(4L), r.ifPresent("a", "an integer", () -> r.read("a", "an integer", null, ScalarValues::integer)));
        assertEquals(Optional.empty(), r.ifPresent("b", "an integer", () -> {
            throw new AssertionError("read an absent key");
        }));
        assertEquals(List.of(new KeyDoc("t.a", "an integer", null, ""), new KeyDoc("t.b", "an integer", "none", "")),
                r.keys().documentation());
        assertEquals(List.of(), r.keys().unknownKeys());
    }
}
