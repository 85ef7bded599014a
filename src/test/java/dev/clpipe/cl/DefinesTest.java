package dev.clpipe.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The -D builder writes one spelling, in order, and refuses bad or repeated names. */
class DefinesTest {
    @Test
    void writesDefinesInOrder() {
        assertEquals("-DD=128 -DKMAX=64 -DTRANS_A=1", Defines.of().set("D", 128).set("KMAX", 64).set("TRANS_A", true).toString());
        assertEquals(new ProgramSpec("ann.cl", "-DD=4"), Defines.of().set("D", 4).spec("ann.cl"));
        assertEquals(new ProgramSpec("x.cl", ""), Defines.of().spec("x.cl"));
    }

    @Test
    void refusesRepeatedAndMalformedNames() {
        assertThrows(IllegalArgumentException.class, () -> Defines.of().set("D", 1).set("D", 2));
        assertThrows(IllegalArgumentException.class, () -> Defines.of().set("d", 1));
        assertThrows(IllegalArgumentException.class, () -> Defines.of().set("A B", 1));
    }
}
