package dev.clpipe.face.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.testing.TestDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ivf_block_scan (opencl/ann.cl) against its host twin over many shapes: dimensions, list sizes
 * (empty, one row, ragged panels), k up to KMAX, unused probe slots, ragged blocks, a finite bound,
 * self exclusion and ties. Coordinates are multiples of 1/4, so every squared distance is exact in
 * float whatever the summation or FMA contraction: results must match bit for bit, ties included.
 * The twin itself is checked against sorting every distance.
 */
class BlockScanTest {
    /** One scan: candidate rows spread over lists, nq query rows, blocks of random size, nprobe probes per block. */
    record Case(int dim, int candidates, int lists, int nq, int nprobe, int k, float bound, boolean self) {}

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>(List.of(
                new Case(8, 1, 1, 1, 1, 1, Float.POSITIVE_INFINITY, false),
                new Case(12, 40, 3, 13, 2, 5, Float.POSITIVE_INFINITY, false),
                new Case(8, 100, 7, 30, 3, 64, Float.POSITIVE_INFINITY, true),
                new Case(128, 50, 4, 17, 4, 10, 360f, true),
                new Case(12, 33, 5, 9, 5, 7, 34f, false)));
        if (!TestDevices.underOclgrind()) {
            c.add(new Case(128, 700, 20, 200, 6, 48, 360f, true));
            c.add(new Case(128, 300, 1, 64, 1, 64, Float.POSITIVE_INFINITY, true));
            c.add(new Case(12, 1000, 40, 333, 12, 33, Float.POSITIVE_INFINITY, false));
        }
        return c;
    }

    @Test
    @Tag("kernel")
    void deviceScanMatchesTheHostTwinExactly() {
        try (DeviceBlockScan device = new DeviceBlockScan(TestDevices.context())) {
            HostBlockScan host = new HostBlockScan(3);
            for (Case c : cases()) {
                Scan s = Scan.of(c, new SplittableRandom(c.hashCode()));
                Result want = s.run(host);
                Result got = s.run(device);
                assertArrayEquals(want.count, got.count, "counts " + c);
                assertArrayEquals(want.idx, got.idx, "ids " + c);
                assertArrayEquals(want.dist, got.dist, "distances " + c);
                assertTrue(java.util.Arrays.stream(want.count).sum() > 0, "case " + c + " finds something");
            }
        }
    }

    @Test
    void hostTwinKeepsTheKNearestOfTheProbedListsByBruteForce() {
        for (Case c : cases()) {
            Scan s = Scan.of(c, new SplittableRandom(c.hashCode() + 1));
            Result got = s.run(new HostBlockScan(2));
            for (int b = 0; b < s.row0.length; b++) {
                for (int q = s.row0[b]; q < s.row0[b] + s.rows[b]; q++) {
                    List<long[]> all = new ArrayList<>(); // {distance bits, id}: non-negative floats order like their bits
                    for (int p = 0; p < c.nprobe(); p++) {
                        int list = s.probes[b * c.nprobe() + p];
                        if (list < 0) continue;
                        for (int j = s.lists.listRow()[list]; j < s.lists.listRow()[list + 1]; j++) {
                            int id = s.lists.order()[j];
                            if (id == s.ids[q]) continue;
                            float d2 = 0;
                            for (int t = 0; t < c.dim(); t++) {
                                float v = s.queries[q * c.dim() + t] - s.base[id * c.dim() + t];
                                d2 += v * v;
                            }
                            if (d2 <= c.bound()) all.add(new long[] {Float.floatToIntBits(d2), id});
                        }
                    }
                    all.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
                    assertEquals(Math.min(c.k(), all.size()), got.count[q], "row " + q + " of " + c);
                    for (int r = 0; r < got.count[q]; r++) assertEquals((int) all.get(r)[1], got.idx[q * c.k() + r], "row " + q + " rank " + r + " of " + c);
                }
            }
        }
    }

    @Test
    void refusesBlocksOutsideTheRowsAndKAboveTheBuffer() {
        Scan s = Scan.of(new Case(4, 10, 2, 5, 1, 3, Float.POSITIVE_INFINITY, false), new SplittableRandom(1));
        HostBlockScan host = new HostBlockScan(1);
        assertThrows(IllegalArgumentException.class, () -> host.scan(s.lists, s.queries, s.ids, 5, new int[] {0}, new int[] {6}, 1,
                new int[] {0}, 1, 3, Float.POSITIVE_INFINITY, new int[15], new float[15], new int[5]));
        assertThrows(IllegalArgumentException.class, () -> host.scan(s.lists, s.queries, s.ids, 5, new int[] {0}, new int[] {5}, 1,
                new int[] {0}, 1, BlockScan.KMAX + 1, Float.POSITIVE_INFINITY, new int[5 * 65], new float[5 * 65], new int[5]));
    }

    record Result(int[] idx, float[] dist, int[] count) {}

    /** Candidates on a 1/4 grid (with duplicates for ties), queries partly drawn from them (self ids). */
    record Scan(Case c, float[] base, PackedLists lists, float[] queries, int[] ids, int[] row0, int[] rows, int[] probes) {
        static Scan of(Case c, SplittableRandom r) {
            int d = c.dim();
            float[] base = new float[c.candidates() * d];
            for (int i = 0; i < base.length; i++) base[i] = (r.nextInt(17) - 8) / 4f;
            for (int i = 1; i < c.candidates(); i += 7) System.arraycopy(base, (i - 1) * d, base, i * d, d); // exact ties
            int[] list = new int[c.candidates()];
            for (int i = 0; i < list.length; i++) list[i] = r.nextInt(c.lists()) == 0 ? 0 : r.nextInt(c.lists()); // uneven, some empty
            PackedLists lists = PackedLists.group(base, c.candidates(), d, list, c.lists());
            float[] queries = new float[c.nq() * d];
            int[] ids = new int[c.nq()];
            for (int q = 0; q < c.nq(); q++) {
                if (c.self() && r.nextBoolean()) {
                    ids[q] = r.nextInt(c.candidates());
                    System.arraycopy(base, ids[q] * d, queries, q * d, d);
                } else {
                    ids[q] = -1;
                    for (int t = 0; t < d; t++) queries[q * d + t] = (r.nextInt(17) - 8) / 4f;
                }
            }
            List<int[]> blocks = new ArrayList<>();
            for (int q = 0; q < c.nq(); ) {
                int n = Math.min(c.nq() - q, 1 + r.nextInt(BlockScan.ROWS));
                blocks.add(new int[] {q, n});
                q += n;
            }
            int[] row0 = blocks.stream().mapToInt(b -> b[0]).toArray();
            int[] rows = blocks.stream().mapToInt(b -> b[1]).toArray();
            int[] probes = new int[blocks.size() * c.nprobe()];
            for (int i = 0; i < probes.length; i++) probes[i] = r.nextInt(8) == 0 ? -1 : r.nextInt(c.lists());
            return new Scan(c, base, lists, queries, ids, row0, rows, probes);
        }

        Result run(BlockScan scan) {
            int k = c.k();
            Result res = new Result(new int[c.nq() * k], new float[c.nq() * k], new int[c.nq()]);
            scan.scan(lists, queries, ids, c.nq(), row0, rows, row0.length, probes, c.nprobe(), k, c.bound(), res.idx, res.dist, res.count);
            return res;
        }
    }
}
