package dev.clpipe.nn.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.KernelLauncher;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The work-group sizes of the kernels a batch split changes (LeNet's small convolutions and the
 * tiled max pools) follow the layer's shape, not the rows: PoCL compiles one work-group function
 * per local size, so a replica re-split to new rows must land on groups it has compiled. Every
 * group divides its grid exactly (those kernels do not guard their ids) and fits the device.
 */
class RowFreeGroupsTest {
    private static final long POCL_MAX = 4096;

    @Test
    void rowGroupIsAPowerOfTwoUpToEightThatDividesTheRows() {
        for (int rows = 1; rows <= 300; rows++) {
            int g = KernelLauncher.rowGroup(rows);
            assertEquals(0, rows % g, "rows " + rows);
            assertTrue(g == 1 || g == 2 || g == 4 || g == 8, "rows " + rows + ": " + g);
            if (rows % 8 == 0) assertEquals(8, g);
        }
    }

    @Test
    void groupsOfLeNetLayersAreTheSameForEverySplitOfTheBatch() {
        long[] fwd = null, dgrad = null, pool1 = null, pool2 = null;
        for (int rows = 16; rows <= 256; rows += 16) { // the 1/16-of-the-batch splits of batch 256
            long[] f = SmallConv.forwardGroup(new long[] {28, rows}, POCL_MAX);
            long[] d = SmallConvInputGrad.group(new long[] {14, 14, rows}, POCL_MAX);
            long[] p1 = Pool2dNhwc.tiledGroup(new long[] {6, 14, rows * 14L}, 14, POCL_MAX);
            long[] p2 = Pool2dNhwc.pixelGroup(new long[] {5, rows * 5L}, 5, POCL_MAX);
            if (fwd != null) {
                assertArrayEquals(fwd, f, "conv_fwd_small at " + rows + " rows");
                assertArrayEquals(dgrad, d, "conv_dgrad_small at " + rows + " rows");
                assertArrayEquals(pool1, p1, "pool 1 at " + rows + " rows");
                assertArrayEquals(pool2, p2, "pool 2 at " + rows + " rows");
            }
            fwd = f;
            dgrad = d;
            pool1 = p1;
            pool2 = p2;
        }
        assertArrayEquals(new long[] {28, 8}, fwd);
        assertArrayEquals(new long[] {14, 14, 1}, dgrad);
        assertArrayEquals(new long[] {6, 14, 14}, pool1);
        assertArrayEquals(new long[] {5, 5}, pool2);
    }

    @Test
    void groupsDivideTheirGridAndFitTheDevice() {
        for (long maxGroup : new long[] {64, 256, 1024, POCL_MAX}) {
            for (int rows : new int[] {1, 3, 7, 12, 100, 257}) {
                for (int side : new int[] {1, 5, 14, 28, 56, 112}) {
                    for (int c : new int[] {1, 6, 16, 64, 256}) {
                        long[] grid = {c, side, (long) rows * side};
                        check(grid, Pool2dNhwc.tiledGroup(grid, side, maxGroup), maxGroup);
                        long[] pixels = {side, (long) rows * side};
                        check(pixels, Pool2dNhwc.pixelGroup(pixels, side, maxGroup), maxGroup);
                        long[] conv = {side, rows};
                        check(conv, SmallConv.forwardGroup(conv, maxGroup), maxGroup);
                        long[] input = {side, side, rows};
                        check(input, SmallConvInputGrad.group(input, maxGroup), maxGroup);
                        // BatchNormNhwc rounds its grids up to whole groups; the channel dimension is exact.
                        long[] chunks = BatchNormNhwc.chunkGroup(c, maxGroup), elements = BatchNormNhwc.elementGroup(c, maxGroup);
                        check(new long[] {c, KernelLauncher.roundUp(rows, chunks[1])}, chunks, maxGroup);
                        check(new long[] {1, c, KernelLauncher.roundUp((long) rows * side * side, elements[2])}, elements, maxGroup);
                    }
                }
            }
        }
    }

    @Test
    void aGroupThatDoesNotDivideItsGridIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> KernelLauncher.shapeLocal(new long[] {10, 7}, new long[] {10, 2}, 1024));
    }

    private static void check(long[] grid, long[] local, long maxGroup) {
        long items = 1;
        for (int d = 0; d < grid.length; d++) {
            assertEquals(0, grid[d] % local[d], Arrays.toString(local) + " on " + Arrays.toString(grid));
            items *= local[d];
        }
        assertTrue(items <= maxGroup, Arrays.toString(local) + " exceeds " + maxGroup);
    }
}
