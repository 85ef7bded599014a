package dev.clpipe.detect.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TilingTest {
    @Test
    void offIsOneWholeImageCrop() {
        assertEquals(List.of(Crop.whole(1280, 926)), Tiling.OFF.crops(1280, 926, 416));
    }

    @Test
    void tilesCoverTheImageOverlapAndTheirCoresPartitionIt() {
        Tiling t = new Tiling(List.of(1.5), 0.25, false);
        List<Crop> crops = t.crops(1280, 926, 416); // tiles of round(416 / 1.5) = 277 px
        for (Crop c : crops) {
            assertEquals(277, c.width());
            assertTrue(c.x() >= 0 && c.y() >= 0 && c.x() + c.width() <= 1280 && c.y() + c.height() <= 926, c.toString());
        }
        // Every pixel centre lies in exactly one core, and inside the tile that owns it.
        for (int y = 0; y < 926; y += 7) {
            for (int x = 0; x < 1280; x += 5) {
                int owners = 0;
                for (Crop c : crops) {
                    if (c.coreContains(x + 0.5, y + 0.5)) {
                        owners++;
                        assertTrue(x >= c.x() && x < c.x() + c.width() && y >= c.y() && y < c.y() + c.height(), "core outside its tile at " + x + "," + y);
                    }
                }
                assertEquals(1, owners, "pixel " + x + "," + y);
            }
        }
        // Neighbours overlap by at least a quarter tile.
        List<Integer> xs = crops.stream().filter(c -> c.y() == 0).map(Crop::x).toList();
        for (int i = 1; i < xs.size(); i++) assertTrue(xs.get(i - 1) + 277 - xs.get(i) >= 0.25 * 277 - 1, "overlap " + xs);
    }

    @Test
    void aScaleWhoseTileCoversTheImageAddsNoCrop() {
        assertEquals(1, new Tiling(List.of(0.2), 0.25, true).crops(640, 480, 416).size());
        assertEquals(List.of(Crop.whole(640, 480)), new Tiling(List.of(0.2), 0.25, false).crops(640, 480, 416));
        assertEquals(1 + 4, new Tiling(List.of(1.0), 0.25, true).crops(640, 480, 416).size()); // 2 x 2 tiles
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Tiling(List.of(0.0), 0.25, true));
        assertThrows(IllegalArgumentException.class, () -> new Tiling(List.of(1.0), 0.95, true));
        assertThrows(IllegalArgumentException.class, () -> new Tiling(List.of(), 0.25, false));
    }
}
