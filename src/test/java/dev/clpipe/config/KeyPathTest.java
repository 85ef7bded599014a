package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPathTest {

    @Test
    void parsesDotsIndexesAndIds() {
        assertEquals(List.of("a", "b", "c"), KeyPath.parse("a.b.c").segments());
        assertEquals(List.of("stages", "0", "lr"), KeyPath.parse("stages.0.lr").segments());
        assertEquals(List.of("stages", "train", "lr"), KeyPath.parse("stages[train].lr").segments());
        assertEquals(List.of("m", "1", "2"), KeyPath.parse("m[1][2]").segments());
        assertEquals(List.of("x"), KeyPath.parse("x").segments());
    }

    @Test
    void refusesMalformedPaths() {
        for (String bad : List.of("", ".a", "a.", "a..b", "a[b", "a]b", "a[]", "a[b]c")) {
            assertThrows(IllegalArgumentException.class, () -> KeyPath.parse(bad), bad);
        }
    }
}
