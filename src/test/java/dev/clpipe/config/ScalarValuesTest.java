package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalarValuesTest {

    private static final Origin AT = Origin.of("test");

    private static ConfigScalar scalar(Object value, String text) {
        return new ConfigScalar(value, text, AT);
    }

    @Test
    void integersAreLongsOnly() {
        assertEquals(31L, ScalarValues.integer(scalar(31L, "0x1F")));
        assertNull(ScalarValues.integer(scalar(2.0, "2.0")));
        assertNull(ScalarValues.integer(scalar("3", "3")));
    }

    @Test
    void intRangeIsInclusiveAndRefusesWhatDoesNotFitAnInt() {
        assertEquals(1, ScalarValues.intIn(scalar(1L, "1"), 1, 10));
        assertEquals(10, ScalarValues.intIn(scalar(10L, "10"), 1, 10));
        assertNull(ScalarValues.intIn(scalar(11L, "11"), 1, 10));
        assertNull(ScalarValues.intIn(scalar(3_000_000_000L, "3000000000"), Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void numbersAcceptIntegersAndFloatsButNotBooleans() {
        assertEquals(2.0, ScalarValues.number(scalar(2L, "2")));
        assertEquals(Double.POSITIVE_INFINITY, ScalarValues.number(scalar(Double.POSITIVE_INFINITY, ".inf")));
        assertNull(ScalarValues.number(scalar(true, "true")));
        assertNull(ScalarValues.bool(scalar("yes", "yes")));
        assertEquals(Boolean.FALSE, ScalarValues.bool(scalar(false, "false")));
    }

    @Test
    void textKeepsNumbersAsWrittenAndRefusesNullsAndCollections() {
        assertEquals("0x1F", ScalarValues.text(scalar(31L, "0x1F")));
        assertEquals("adam", ScalarValues.text(scalar("adam", "'adam'")));
        assertNull(ScalarValues.text(scalar(null, "~")));
        assertNull(ScalarValues.text(new ConfigList(List.of(), AT)));
        assertNull(ScalarValues.text(new ConfigMap(Map.of(), Map.of(), AT)));
    }
}
