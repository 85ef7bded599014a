package dev.clpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    private static final List<String> AWKWARD = List.of("plain/a.png", "new\nline.png", "cr\rhere.png", "back\\slash\\u0041.png",
            "a\\..\\..\\evil.png", "tab\there.png", "caf\u00e9 \u00fc.jpg", "emoji\ud83d\ude00.png", "lone\ud800surrogate.png",
            "trailing\\", "\\", "\u007f.png");

    @Test
    void anyNameRoundTripsOneLineEach() throws Exception {
        Path file = dir.resolve("completed.txt");
        try (Journal journal = new Journal(file)) {
            journal.markDone(AWKWARD);
        }
        assertEquals(AWKWARD.size(), Files.readAllLines(file, StandardCharsets.UTF_8).size(), "one line per name");
        try (Journal reread = new Journal(file)) {
            assertEquals(AWKWARD.size(), reread.size());
            for (String id : AWKWARD) assertTrue(reread.isDone(id), id);
            assertFalse(reread.isDone("new"));
            assertFalse(reread.isDone("line.png"));
        }
    }

    @Test
    void aTornLastLineIsDroppedAndAppendingGoesOnCleanly() throws Exception {
        Path file = dir.resolve("completed.txt");
        Files.writeString(file, "a.png\nb.png\nhalf-writ", StandardCharsets.UTF_8);
        try (Journal journal = new Journal(file)) {
            assertEquals(2, journal.size());
            assertFalse(journal.isDone("half-writ"));
            journal.markDone(List.of("c.png"));
        }
        assertEquals("a.png\nb.png\nc.png\n", Files.readString(file));
    }

    @Test
    void everyMarkIsOnDiskBeforeItReturns() throws Exception {
        Path file = dir.resolve("completed.txt");
        try (Journal journal = new Journal(file)) {
            journal.markDone(List.of("x.png"));
            // no close: a second reader (as after kill -9) already sees the line
            assertEquals("x.png\n", Files.readString(file));
        }
    }
}
