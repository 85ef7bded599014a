package dev.clpipe.detect.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.augment.AugmentConfig;
import dev.clpipe.augment.AugmentConfigReader;
import dev.clpipe.augment.BatchParams;
import dev.clpipe.augment.ImageBatch;
import dev.clpipe.augment.ParamPlanner;
import dev.clpipe.augment.ReferenceAugmenter;
import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.Box;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Boxes follow the pixels through an augmentation plan: a box drawn as a filled rectangle, sent
 * through the augmentation's plain-Java twin, has the ink bounds the moved box says (within a
 * pixel: bilinear edges), over many draws of mirror + crop (+ scale, translate); a box the crop
 * cuts away is dropped, and one whose ink is mostly gone never survives.
 */
class BoxesThroughViewTest {
    private static final int SIDE = 40;

    private static AugmentConfig config(Map<String, Object> ops) {
        return AugmentConfigReader.read(Map.of("output_size", List.of(SIDE, SIDE), "fill", 0, "ops", ops), 9);
    }

    @Test
    void movedBoxesMatchTheInkOfTheAugmentedPixels() {
        check(config(Map.of("mirror", Map.of(), "crop", Map.of("size", 32, "padding", 4))), 1.01);
        check(config(Map.of("mirror", Map.of("horizontal", 0.5, "vertical", 0.5), "scale", Map.of("factor", List.of(0.8, 1.25)),
                "translate", Map.of("fraction", 0.1))), 1.51);
    }

    private static void check(AugmentConfig config, double tolerance) {
        ParamPlanner planner = new ParamPlanner(config);
        int seen = 0, dropped = 0;
        for (long index = 0; index < 60; index++) {
            Box box = new Box(5 + index % 11, 7 + index % 5, 21 + index % 13, 19 + index % 17);
            byte[] pixels = new byte[SIDE * SIDE];
            for (int y = (int) box.y1(); y < box.y2(); y++) for (int x = (int) box.x1(); x < box.x2(); x++) pixels[y * SIDE + x] = (byte) 255;
            ImageBatch out = ReferenceAugmenter.apply(config, new ImageBatch(1, SIDE, SIDE, 1, pixels), 3, new long[] {index});
            BatchParams plan = planner.plan(3, new long[] {index}, SIDE, SIDE, 1);
            List<Annotation> moved = BoxesThroughView.move(List.of(new Annotation("a", box)), plan.sourceAffine(0), SIDE, SIDE);
            int x1 = SIDE, y1 = SIDE, x2 = 0, y2 = 0, ink = 0;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    if (out.get(0, y, x, 0) < 128) continue;
                    ink++;
                    x1 = Math.min(x1, x);
                    y1 = Math.min(y1, y);
                    x2 = Math.max(x2, x + 1);
                    y2 = Math.max(y2, y + 1);
                }
            }
            if (moved.isEmpty()) {
                dropped++;
                assertTrue(ink < BoxesThroughView.MIN_VISIBLE * box.area() * 1.6 + 2 * (box.width() + box.height()),
                        "sample " + index + ": dropped a box whose ink is still " + ink + " px of " + box.area());
                continue;
            }
            seen++;
            Box b = moved.get(0).box();
            String what = "sample " + index + ": box " + box + " moved to " + b + ", ink bounds [" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + "]";
            assertEquals(x1, b.x1(), tolerance, what);
            assertEquals(y1, b.y1(), tolerance, what);
            assertEquals(x2, b.x2(), tolerance, what);
            assertEquals(y2, b.y2(), tolerance, what);
        }
        assertTrue(seen > 40, seen + " boxes kept of 60");
    }

    @Test
    void aMirrorFlipsTheBoxExactly() {
        AugmentConfig mirror = config(Map.of("mirror", Map.of("horizontal", 1.0)));
        BatchParams plan = new ParamPlanner(mirror).plan(0, new long[] {0}, SIDE, SIDE, 1);
        Box b = BoxesThroughView.move(List.of(new Annotation("a", new Box(3, 4, 10, 20))), plan.sourceAffine(0), SIDE, SIDE).get(0).box();
        assertEquals(new Box(30, 4, 37, 20), b);
    }
}
