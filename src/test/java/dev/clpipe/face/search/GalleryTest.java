package dev.clpipe.face.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GalleryTest {
    @Test
    void oneShotEnrolmentRecognisesAndRejectsStrangers() {
        Gallery g = new Gallery(2, 0.6);
        g.enroll("ada", new float[] {0, 0});
        g.enroll("bob", new float[] {1, 0});
        Gallery.Match m = g.recognize(new float[] {0.1f, 0.2f});
        assertEquals("ada", m.identity());
        assertEquals(Math.sqrt(0.05), m.distance(), 1e-6);
        Gallery.Match stranger = g.recognize(new float[] {0.9f, 2f});
        assertFalse(stranger.known());
        assertNull(stranger.identity());
        assertEquals(1, stranger.entry(), "the nearest entry is still reported");
    }

    @Test
    void thresholdIsStrictAndSeveralEntriesPerPersonCount() {
        Gallery g = new Gallery(1, 0.5);
        g.enroll("ada", new float[] {0});
        g.enroll("ada", new float[] {2});
        g.enroll("bob", new float[] {5});
        assertEquals("ada", g.recognize(new float[] {2.25f}).identity(), "nearest of ada's two entries");
        assertNull(g.recognize(new float[] {0.5f}).identity(), "d == threshold is not a match");
        assertEquals(2, g.identities());
        assertEquals(3, g.size());
    }

    @Test
    void topKListsDistinctIdentitiesNearestFirst() {
        Gallery g = new Gallery(1, 0.6);
        for (int i = 0; i < 20; i++) g.enroll("ada", new float[] {i * 0.01f});
        g.enroll("bob", new float[] {1});
        g.enroll("cy", new float[] {3});
        List<Gallery.Match> top = g.topK(new float[] {0}, 2);
        assertEquals(2, top.size());
        assertEquals("ada", top.get(0).identity());
        assertEquals("bob", top.get(1).identity());
        assertEquals(1.0, top.get(1).distance(), 1e-6);
        assertEquals(3, g.topK(new float[] {0}, 10).size());
        assertTrue(g.recognizeAll(Embeddings.of(new float[] {0.9f}, new float[] {9f}))[0].known());
    }

    @Test
    void emptyGalleryAndBadInputsFailClearly() {
        Gallery g = new Gallery(2, 0.6);
        assertThrows(IllegalStateException.class, () -> g.recognize(new float[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> g.enroll(" ", new float[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> new Gallery(2, 0));
    }
}
