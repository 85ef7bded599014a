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

    /** The JDK's file-system exceptions hold only the path ("error: runs" said nothing). */
    @Test
    void fileSystemErrorsSayWhatIsWrongWithThePath() {
        assertEquals("runs: already exists (and is not a folder clpipe may write into)",
                FailureReason.message(new java.nio.file.FileAlreadyExistsException("runs")));
        assertEquals("a/b: no such file or folder", FailureReason.message(new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("a/b"))));
        assertEquals("x: permission denied", FailureReason.message(new java.nio.file.AccessDeniedException("x")));
    }

    /** A full disk is told apart from a data error (exit 1, not 4) however deep the JDK wraps it. */
    @Test
    void aFullDiskIsFoundDownTheCauseChain() {
        assertTrue(FailureReason.outOfSpace(new java.io.UncheckedIOException(
                new IIOException("I/O error writing PNG file!", new IOException("No space left on device")))));
        assertTrue(FailureReason.outOfSpace(new java.nio.file.FileSystemException("runs/x/.a.tmp", null, "No space left on device")));
        assertTrue(FailureReason.outOfSpace(new RuntimeException(new IOException("Disk quota exceeded"))));
        org.junit.jupiter.api.Assertions.assertFalse(FailureReason.outOfSpace(new IOException("a.idx: truncated")));
        org.junit.jupiter.api.Assertions.assertFalse(FailureReason.outOfSpace(new java.nio.file.NoSuchFileException("a")));
    }
}
