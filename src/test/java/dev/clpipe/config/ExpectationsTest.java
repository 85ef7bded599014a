package dev.clpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExpectationsTest {

    @Test
    void integerRangesReadByWhichBoundsAreSet() {
        assertEquals("an integer", Expectations.integer(Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertEquals("an integer >= 1", Expectations.integer(1, Integer.MAX_VALUE));
        assertEquals("an integer from -3 to 10", Expectations.integer(-3, 10));
    }

    @Test
    void numberRangesReadByWhichBoundsAreSet() {
        double inf = Double.POSITIVE_INFINITY;
        assertEquals("a number", Expectations.number(-inf, inf));
        assertEquals("a number >= 0", Expectations.number(0, inf));
        assertEquals("a number <= 1", Expectations.number(-inf, 1));
        assertEquals("a number from 0.5 to 2.25", Expectations.number(0.5, 2.25));
    }

    @Test
    void wholeNumbersLoseTheirFractionUnlessHuge() {
        assertEquals("-2", Expectations.format(-2.0));
        assertEquals("0.1", Expectations.format(0.1));
        assertEquals("1.0E20", Expectations.format(1e20));
    }
}
