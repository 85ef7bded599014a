package dev.clpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;

class FailureReasonTest {
    @Test
    void aFullDiskUnderAnImageWritersMessageIsNamed() {
        IIOException e = new IIOException("I/O error writing PNG file!", new IOException("No space left on device"));
        assertEquals("stage write: I/O error writing PNG file! (No space left on device)", FailureReason.of(e, "write"));
    }

    @Test
    void outOfMemoryGetsOneLineOfAdvice() {
        String reason = FailureReason.of(new OutOfMemoryError("Java heap space"), "augment");
        assertTrue(reason.startsWith("stage augment: out of memory (Java heap space); lower the batch"), reason);
        assertEquals(1, reason.lines().count());
    }

    @Test
    void onlyTheFirstLineOfAMessage() {
        assertEquals("bad\u0020thing", FailureReason.message(new IllegalStateException("bad thing\n  detail")));
        assertEquals("NullPointerException", FailureReason.message(new NullPointerException()));
    }
}
