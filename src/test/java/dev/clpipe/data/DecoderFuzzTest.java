package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Seeded random damage to valid files: the decoder may refuse them, never crash otherwise. */
class DecoderFuzzTest {
    private static final int CASES_PER_FORMAT = 1000;

    @Test
    void damagedFilesAreDecodedOrRefusedNeverThrowOtherwise() {
        ImageData img = TestImages.pattern(12, 10, 3);
        byte[][] files = {TestImages.png(img), TestImages.jpeg(img, 0.8f), TestImages.gif(img), TestImages.bmp(img),
            TestImages.withOrientation(TestImages.jpeg(img, 0.8f), 6, true)};
        String[] names = {"f.png", "f.jpg", "f.gif", "f.bmp", "e.jpg"};
        ImageDecoder decoder = new ImageDecoder();
        SplittableRandom rnd = new SplittableRandom(42);
        for (int f = 0; f < files.length; f++) {
            for (int c = 0; c < CASES_PER_FORMAT; c++) {
                byte[] b = files[f].clone();
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                try {
                    decoder.decode(b, names[f]);
                } catch (ImageRejectedException expected) {
                    // refusing is fine
                } catch (RuntimeException e) {
                    fail(names[f] + " case " + c + " threw " + e, e);
                }
            }
        }
    }
}
