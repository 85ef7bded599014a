package dev.clpipe.nn.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clpipe.cl.parallel.DevicePool;
import org.junit.jupiter.api.Test;

/** A predict device's network is no larger than the pieces its pool hands it, so no rows are padded that a piece never fills. */
class DeviceRowsTest {
    @Test
    void aDevicesNetworkHasTheRowsOfAPiece() {
        assertEquals(64, ImageClassifier.deviceRows(64, 64, 1), "one device: the whole pipeline batch");
        assertEquals(16, ImageClassifier.deviceRows(64, 64, 2), "two devices: four pieces of 16");
        assertEquals(11, ImageClassifier.deviceRows(64, 64, 3));
        assertEquals(8, ImageClassifier.deviceRows(64, 8, 1), "a pipeline batch smaller than the stage's");
        assertEquals(32, ImageClassifier.deviceRows(32, 256, 2), "pieces of 64, nets of the stage's 32: two runs a piece");
        for (int count = 1; count <= 300; count++) {
            for (int devices = 1; devices <= 4; devices++) {
                int rows = ImageClassifier.deviceRows(65_536, count, devices);
                for (DevicePool.Piece p : pieces(count, devices)) assertEquals(true, p.size() <= rows, count + " on " + devices + ": " + p);
            }
        }
    }

    /** The pieces a pool of {@code devices} live devices cuts {@code count} items into. */
    private static java.util.List<DevicePool.Piece> pieces(int count, int devices) {
        int size = DevicePool.pieceSize(count, devices);
        java.util.List<DevicePool.Piece> out = new java.util.ArrayList<>();
        for (int from = 0; from < count; from += size) out.add(new DevicePool.Piece(from, Math.min(count, from + size)));
        return out;
    }
}
