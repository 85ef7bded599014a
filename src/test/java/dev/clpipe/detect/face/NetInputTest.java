package dev.clpipe.detect.face;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clpipe.data.ImageData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NetInputTest {
    /** The plain form of face-api's letterbox: every sample bounds-checked, as docs/face-models.md §2 states it. */
    private static void reference(ImageData image, Crop crop, int size, float[] dst, int offset) {
        int side = Math.max(crop.width(), crop.height());
        double ratio = (double) side / size;
        int o = offset;
        for (int r = 0; r < size; r++) {
            double fr = ratio * r;
            int y0 = (int) Math.floor(fr), y1 = Math.min(side - 1, (int) Math.ceil(fr));
            double fy = fr - Math.floor(fr);
            for (int col = 0; col < size; col++) {
                double fc = ratio * col;
                int x0 = (int) Math.floor(fc), x1 = Math.min(side - 1, (int) Math.ceil(fc));
                double fx = fc - Math.floor(fc);
                for (int c = 0; c < 3; c++) {
                    double tl = sample(image, crop, y0, x0, c), tr = sample(image, crop, y0, x1, c);
                    double bl = sample(image, crop, y1, x0, c), br = sample(image, crop, y1, x1, c);
                    double top = tl + (tr - tl) * fx;
                    double bottom = bl + (br - bl) * fx;
                    dst[o++] = (float) (top + (bottom - top) * fy);
                }
            }
        }
    }

    private static int sample(ImageData image, Crop crop, int row, int col, int c) {
        if (row >= crop.height() || col >= crop.width()) return 0;
        int ch = image.channels() == 1 ? 0 : c;
        return image.pixels()[((crop.y() + row) * image.width() + crop.x() + col) * image.channels() + ch] & 0xFF;
    }

    private static ImageData random(Random r, int w, int h, int channels) {
        byte[] p = new byte[w * h * channels];
        r.nextBytes(p);
        return new ImageData(w, h, channels, p);
    }

    @Test
    void matchesThePlainFormBitForBitOnManyShapes() {
        Random r = new Random(11);
        int[][] shapes = {{640, 480}, {480, 640}, {416, 416}, {1, 1}, {2, 3}, {3, 2}, {37, 200}, {200, 37}, {1000, 17}, {123, 457}};
        int checked = 0;
        for (int[] wh : shapes) {
            for (int channels : new int[] {1, 3, 4}) {
                ImageData image = random(r, wh[0], wh[1], channels);
                List<Crop> crops = new ArrayList<>(List.of(Crop.whole(wh[0], wh[1])));
                if (wh[0] > 4 && wh[1] > 4) { // inner crops, one touching the right and bottom edges
                    crops.add(new Crop(1, 2, wh[0] / 2, wh[1] / 3, 0, 0, 1, 1));
                    crops.add(new Crop(wh[0] - wh[0] / 3, wh[1] - wh[1] / 2, wh[0] / 3, wh[1] / 2, 0, 0, 1, 1));
                }
                for (Crop crop : crops) {
                    for (int size : new int[] {416, 224, 33, 1}) {
                        float[] want = new float[size * size * 3 + 5], got = new float[size * size * 3 + 5];
                        reference(image, crop, size, want, 5);
                        NetInput.letterbox(image, crop, size, got, 5);
                        for (int i = 0; i < want.length; i++) {
                            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                                    () -> wh[0] + "x" + wh[1] + "x" + channels + " " + crop + " size " + size);
                        }
                        checked++;
                    }
                }
            }
        }
        assertEquals(10 * 3 * 4 + 7 * 3 * 2 * 4, checked);
    }
}
