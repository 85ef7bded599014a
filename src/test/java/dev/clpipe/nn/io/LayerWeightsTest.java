package dev.clpipe.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LayerWeightsTest {
    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return v;
    }

    @Test
    void hwioToOihwOnAHandMadeFilter() {
        // HWIO [kh=1, kw=2, in=2, out=3]: value = index, so hwio(y, x, i, o) = (x * 2 + i) * 3 + o.
        ConvFilter f = new ConvFilter("f", 1, 2, 2, 3, iota(12));
        // OIHW [3, 2, 1, 2]: for each o, for each i, the kw=2 taps x = 0, 1.
        float[] want = {
            0, 6, /* o0 i0 */ 3, 9, /* o0 i1 */
            1, 7, /* o1 i0 */ 4, 10, /* o1 i1 */
            2, 8, /* o2 i0 */ 5, 11 /* o2 i1 */};
        assertArrayEquals(want, f.toOihw());
        assertEquals(10, f.at(0, 1, 1, 1));
    }

    @Test
    void hwioToOihwAgreesWithIndexFormulasOnA3x3() {
        int kh = 3, kw = 3, in = 4, out = 5;
        ConvFilter f = new ConvFilter("f", kh, kw, in, out, iota(kh * kw * in * out));
        float[] oihw = f.toOihw();
        for (int o = 0; o < out; o++)
            for (int i = 0; i < in; i++)
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        assertEquals(f.at(y, x, i, o), oihw[((o * in + i) * kh + y) * kw + x]);
    }

    @Test
    void depthwiseToChannelMajor() {
        // [kh=2, kw=2, C=3, 1]: value = (y*2 + x)*3 + c.
        DepthwiseFilter d = new DepthwiseFilter("d", 2, 2, 3, iota(12));
        assertArrayEquals(new float[] {0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11}, d.toOihw());
        assertEquals(7, d.at(1, 0, 1));
    }

    @Test
    void denseTransposesToOutIn() {
        DenseWeights d = new DenseWeights("fc", 2, 3, new float[] {1, 2, 3, 4, 5, 6}, null);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, d.toOutIn());
    }

    @Test
    void batchNormFoldsToScaleAndShift() {
        BatchNormWeights bn = new BatchNormWeights("bn", new float[] {2, 1}, new float[] {1, 0}, new float[] {3, -1},
                new float[] {4 - 0.001f, 0.25f - 0.001f}, 0.001f);
        float[] s = bn.foldedScale();
        float[] t = bn.foldedShift();
        assertEquals(1f, s[0], 1e-6f);
        assertEquals(2f, s[1], 1e-5f);
        assertEquals(1 - 3 * 1f, t[0], 1e-5f);
        assertEquals(0 + 1 * 2f, t[1], 1e-5f);
        // y = (x - mean) / sqrt(var + eps) * gamma + beta, checked at x = 5 for channel 0
        float x = 5;
        assertEquals((x - 3) / 2f * 2 + 1, x * s[0] + t[0], 1e-5f);
    }

    @Test
    void recordsRefuseInconsistentShapes() {
        ConvFilter f = new ConvFilter("f", 1, 1, 2, 3, new float[6]);
        assertThrows(IllegalArgumentException.class, () -> new ConvFilter("f", 1, 1, 2, 3, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> new ConvWeights("c", f, new float[2]));
        DepthwiseFilter d = new DepthwiseFilter("d", 3, 3, 4, new float[36]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SeparableConvWeights("s", d, f, new float[3]));
        TfjsWeightsTest.assertContains(e.getMessage(), "'s'", "4 channels", "takes 2");
        assertThrows(IllegalArgumentException.class, () -> new NamedTensor("t", new int[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new DenseWeights("fc", 2, 2, new float[4], new float[3]));
    }

    @Test
    void namedTensorCopiesItsShape() {
        int[] shape = {2, 1};
        NamedTensor t = new NamedTensor("t", shape, new float[2]);
        shape[0] = 7;
        t.shape()[1] = 9;
        assertArrayEquals(new int[] {2, 1}, t.shape());
        assertEquals("[2,1]", t.shapeString());
    }
}
