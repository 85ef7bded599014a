package dev.clpipe.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.ShiftMirror;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shift_mirror kernel (views.cl) against {@link View#applyReference} over many shapes and views. */
class ShiftMirrorTest {
    @Test
    @Tag("kernel")
    void kernelMatchesItsJavaTwin() {
        ClContext cl = TestDevices.context();
        int[][] shapes = {{1, 1, 1, 1}, {1, 5, 7, 1}, {3, 28, 28, 1}, {2, 9, 6, 3}, {5, 4, 11, 2}};
        List<View> views = new ArrayList<>(View.of(9, 2, true));
        views.add(new View(10, -9, false)); // further than the image: all edge pixels
        views.add(new View(-1, 3, true));
        Random r = new Random(3);
        try (ShiftMirror kernel = new ShiftMirror(cl)) {
            for (int[] s : shapes) {
                int n = s[0], h = s[1], w = s[2], c = s[3];
                float[] in = new float[n * h * w * c];
                for (int i = 0; i < in.length; i++) in[i] = r.nextFloat() * 2 - 1;
                try (ClBuffer x = cl.buffer(in); ClBuffer y = cl.buffer((long) in.length * Float.BYTES)) {
                    for (View v : views) {
                        kernel.apply(x, y, n, h, w, c, v.dx(), v.dy(), v.mirror());
                        Tolerance.EXACT.assertClose(y.readFloats(cl.queue()), v.applyReference(in, n, h, w, c), v + " of " + n + "x" + h + "x" + w + "x" + c);
                    }
                }
            }
        }
    }

    @Test
    void referenceShiftsMirrorsAndPadsWithTheEdge() {
        // one 1x3 row [1 2 3]: a shift by +1 reads one pixel to the right, the last pixel repeats
        float[] row = {1, 2, 3};
        assertEquals(List.of(2f, 3f, 3f), boxed(new View(1, 0, false).applyReference(row, 1, 1, 3, 1)));
        assertEquals(List.of(3f, 2f, 1f), boxed(new View(0, 0, true).applyReference(row, 1, 1, 3, 1)));
        assertEquals(List.of(1f, 1f, 2f), boxed(new View(-1, 0, false).applyReference(row, 1, 1, 3, 1)));
    }

    @Test
    void viewSetsHaveTheDocumentedSizes() {
        assertEquals(List.of(View.IDENTITY), View.of(1, 1, false));
        assertEquals(5, View.of(5, 1, false).size());
        assertEquals(18, View.of(9, 2, true).size());
        assertEquals(View.IDENTITY, View.of(9, 2, true).get(0));
        assertThrows(IllegalArgumentException.class, () -> View.of(4, 1, false));
    }

    private static List<Float> boxed(float[] a) {
        List<Float> out = new ArrayList<>();
        for (float v : a) out.add(v);
        return out;
    }
}
