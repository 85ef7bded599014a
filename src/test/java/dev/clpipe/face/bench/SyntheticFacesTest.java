package dev.clpipe.face.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The generator delivers the distance statistics the benchmark claims. */
class SyntheticFacesTest {
    private static double[] stats(SyntheticFaces f) {
        double intra = 0;
        double inter = 0;
        long ni = 0;
        long no = 0;
        long close = 0;
        int n = f.embeddings().size();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = f.embeddings().distance(i, j);
                if (f.identity()[i] == f.identity()[j]) {
                    intra += d;
                    ni++;
                } else {
                    inter += d;
                    no++;
                    if (d < 0.6) close++;
                }
            }
        }
        return new double[] {intra / ni, inter / no, (double) close / no};
    }

    @Test
    void folderHasFaceApiLikeDistances() {
        SyntheticFaces f = SyntheticFaces.generate(1500, 3);
        double[] s = stats(f);
        assertTrue(s[0] > 0.35 && s[0] < 0.5, "intra " + s[0]);
        assertTrue(s[1] > 0.7 && s[1] < 1.1, "inter " + s[1]);
        double norm = Math.sqrt(f.embeddings().sqNorm(0));
        assertTrue(norm > 0.8 && norm < 1.4, "norm " + norm);
    }

    @Test
    void eventHasAboutFortyPercentCloseStrangers() {
        double[] s = stats(SyntheticFaces.generate(1500, 3, SyntheticFaces.Spec.event()));
        assertTrue(s[2] > 0.3 && s[2] < 0.5, "different-person pairs under 0.6: " + s[2]);
    }

    @Test
    void isDeterministicForASeed() {
        SyntheticFaces a = SyntheticFaces.generate(300, 9);
        SyntheticFaces b = SyntheticFaces.generate(300, 9);
        assertArrayEquals(a.identity(), b.identity());
        assertArrayEquals(a.embeddings().row(299), b.embeddings().row(299));
        assertEquals(a.identities(), b.identities());
    }
}
