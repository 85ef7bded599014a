package dev.clpipe.detect.scenes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.Box;
import dev.clpipe.nn.Dataset;
import org.junit.jupiter.api.Test;

class DigitSceneGeneratorTest {
    private static final SceneSpec SPEC = new SceneSpec(60, 80, 1, 4, 14, 40, 0.1, 64);

    static Dataset fakeDigits() {
        return TestDigits.fake(20);
    }

    @Test
    void sceneIsAPureFunctionOfSeedAndIndex() {
        DigitSceneGenerator a = new DigitSceneGenerator(fakeDigits(), SPEC, 42);
        DigitSceneGenerator b = new DigitSceneGenerator(fakeDigits(), SPEC, 42);
        Scene late = b.scene(17); // out of order on purpose
        for (int i = 0; i < 20; i++) {
            Scene x = a.scene(i);
            Scene y = b.scene(i);
            assertEquals(x.width(), y.width());
            assertArrayEquals(x.pixels(), y.pixels(), "scene " + i);
            assertEquals(x.objects(), y.objects(), "scene " + i);
        }
        assertArrayEquals(late.pixels(), a.scene(17).pixels());
        assertFalse(java.util.Arrays.equals(a.scene(3).pixels(), new DigitSceneGenerator(fakeDigits(), SPEC, 43).scene(3).pixels()),
                "another seed gives another scene");
        assertNotEquals(a.scene(3).objects(), a.scene(4).objects());
    }

    @Test
    void scenesRespectTheSpec() {
        DigitSceneGenerator g = new DigitSceneGenerator(fakeDigits(), SPEC, 1);
        for (int i = 0; i < 200; i++) {
            Scene s = g.scene(i);
            assertTrue(s.width() >= 60 && s.width() <= 80 && s.height() >= 60 && s.height() <= 80, "canvas " + s.width() + "x" + s.height());
            assertTrue(s.objects().size() >= 1 && s.objects().size() <= 4, "scene " + i + " has " + s.objects().size() + " digits");
            for (int p = 0; p < s.objects().size(); p++) {
                Annotation a = s.objects().get(p);
                assertTrue(a.label().matches("[0-9]"));
                assertTrue(a.box().x1() >= 0 && a.box().y1() >= 0 && a.box().x2() <= s.width() && a.box().y2() <= s.height());
                assertTrue(a.box().width() <= 40 && a.box().height() <= 40);
                for (int q = 0; q < p; q++) {
                    assertTrue(a.box().iou(s.objects().get(q).box()) <= 0.1 + 1e-12, "overlap in scene " + i);
                }
            }
        }
    }

    /**
     * Boxes are the ink bounds: every ink pixel of the canvas lies in some box, and a box that
     * touches no other has ink on each of its four edges (so it is tight) and none outside.
     */
    @Test
    void boxesAreTheInkBoundingBoxes() {
        DigitSceneGenerator g = new DigitSceneGenerator(fakeDigits(), SPEC, 9);
        int tightChecked = 0;
        for (int i = 0; i < 100; i++) {
            Scene s = g.scene(i);
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    if (s.at(x, y) >= SPEC.inkThreshold()) {
                        Box px = new Box(x, y, x + 1, y + 1);
                        assertTrue(s.objects().stream().anyMatch(a -> a.box().intersection(px) > 0),
                                "scene " + i + ": ink at " + x + "," + y + " outside every box");
                    }
                }
            }
            for (Annotation a : s.objects()) {
                boolean alone = s.objects().stream().noneMatch(o -> o != a && o.box().intersection(a.box()) > 0);
                if (!alone) {
                    continue;
                }
                Box b = a.box();
                int x1 = (int) b.x1(), y1 = (int) b.y1(), x2 = (int) b.x2() - 1, y2 = (int) b.y2() - 1;
                assertTrue(inkInRow(s, y1, x1, x2) && inkInRow(s, y2, x1, x2), "scene " + i + ": box " + b + " not tight vertically");
                assertTrue(inkInColumn(s, x1, y1, y2) && inkInColumn(s, x2, y1, y2), "scene " + i + ": box " + b + " not tight horizontally");
                tightChecked++;
            }
        }
        assertTrue(tightChecked > 100, "only " + tightChecked + " isolated boxes checked");
    }

    @Test
    void padIntoKeepsTheCanvasTopLeft() {
        Scene s = new DigitSceneGenerator(fakeDigits(), SPEC, 5).scene(0);
        byte[] frame = new byte[2 * 90 * 90];
        java.util.Arrays.fill(frame, (byte) 7);
        s.padInto(frame, 90 * 90, 90);
        assertEquals(7, frame[0]);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 90; x++) {
                int want = x < s.width() && y < s.height() ? s.at(x, y) : 0;
                assertEquals(want, frame[90 * 90 + y * 90 + x] & 0xFF);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> s.padInto(new byte[50 * 50], 0, 50));
    }

    @Test
    void badSpecsAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SceneSpec(60, 50, 1, 2, 14, 40, 0.1, 64)).getMessage().contains("scenes.canvas"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SceneSpec(60, 80, 1, 2, 14, 70, 0.1, 64)).getMessage().contains("scenes.scale"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SceneSpec(60, 80, 0, 2, 14, 40, 0.1, 64)).getMessage().contains("scenes.digits"));
    }

    private static boolean inkInRow(Scene s, int y, int x1, int x2) {
        for (int x = x1; x <= x2; x++) {
            if (s.at(x, y) >= SPEC.inkThreshold()) return true;
        }
        return false;
    }

    private static boolean inkInColumn(Scene s, int x, int y1, int y2) {
        for (int y = y1; y <= y2; y++) {
            if (s.at(x, y) >= SPEC.inkThreshold()) return true;
        }
        return false;
    }
}
