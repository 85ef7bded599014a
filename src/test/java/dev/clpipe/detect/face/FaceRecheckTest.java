package dev.clpipe.detect.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.detect.Box;
import dev.clpipe.detect.Detection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The close-up geometry and the keep / reject rule, without a device. */
class FaceRecheckTest {
    @Test
    void closeUpIsCentredOnTheBoxAndClippedToTheImage() {
        Crop c = FaceRecheck.closeUp(Box.fromTopLeft(100, 100, 40, 20), 2.5, 1000, 800);
        assertEquals(70, c.x());
        assertEquals(60, c.y());
        assertEquals(100, c.width());
        assertEquals(100, c.height());
        assertTrue(c.coreContains(-1e9, 1e9), "a close-up keeps every box it finds");
        Crop edge = FaceRecheck.closeUp(Box.fromTopLeft(-30, 780, 60, 60), 5, 1000, 800);
        assertEquals(0, edge.x());
        assertEquals(660, edge.y());
        assertEquals(150, edge.width());
        assertEquals(140, edge.height());
        Crop outside = FaceRecheck.closeUp(Box.fromTopLeft(2000, 2000, 10, 10), 2, 1000, 800);
        assertTrue(outside.width() >= 1 && outside.height() >= 1 && outside.x() < 1000 && outside.y() < 800, "never an empty or outside crop");
    }

    @Test
    void meanOfTheBestOverlappingScoresDecides() {
        FaceRecheck r = new FaceRecheck(true, List.of(2.5, 3.5, 5.0), 0.43, 0.3);
        Box face = Box.fromTopLeft(100, 100, 50, 50);
        Detection on = new Detection("face", 0.9, Box.fromTopLeft(105, 102, 48, 50));
        Detection weak = new Detection("face", 0.2, Box.fromTopLeft(100, 100, 50, 50));
        Detection elsewhere = new Detection("face", 0.99, Box.fromTopLeft(300, 300, 50, 50));
        assertNull(r.verdict(face, List.of(List.of(on), List.of(weak), List.of(weak, elsewhere))), "(0.9 + 0.2 + 0.2) / 3 = 0.43... > 0.43");
        String why = r.verdict(face, List.of(List.of(weak), List.of(elsewhere), List.of(on)));
        assertNotNull(why, "(0.2 + 0 + 0.9) / 3 = 0.367: a strong box elsewhere does not count");
        assertTrue(why.contains("mean score 0.37") && why.contains("0.20 0.00 0.90"), why);
        assertThrows(IllegalArgumentException.class, () -> new FaceRecheck(true, List.of(), 0.4, 0.3));
        assertThrows(IllegalArgumentException.class, () -> new FaceRecheck(true, List.of(1.0), 0.4, 0.3));
    }
}
