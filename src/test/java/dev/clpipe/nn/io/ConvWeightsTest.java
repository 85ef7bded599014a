package dev.clpipe.nn.io;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clpipe.nn.ops.ChannelAffineReference;
import dev.clpipe.nn.ops.Conv2dReference;
import dev.clpipe.nn.ops.Conv2dShape;
import dev.clpipe.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConvWeightsTest {
    @Test
    void foldedInputNormalizationGivesTheConvOfTheNormalisedInput() {
        Random r = new Random(91);
        int[][] cases = {{1, 9, 7, 3, 16, 3}, {2, 5, 6, 1, 4, 2}, {1, 4, 4, 4, 3, 1}}; // batch, h, w, in, out, kernel
        for (int[] k : cases) {
            int n = k[0], h = k[1], w = k[2], in = k[3], out = k[4], ks = k[5];
            Conv2dShape shape = Conv2dShape.input(n, h, w, in).output(out).kernel(ks).valid().build();
            ConvWeights conv = new ConvWeights("c", new ConvFilter("c/filter", ks, ks, in, out, random(r, ks * ks * in * out, -1, 1)), random(r, out, -1, 1));
            float[] x = random(r, (int) shape.inputFloats(), 0, 255);
            float[] mean = random(r, in, 90, 130);
            float mul = 1 / 255f;
            float[] mulPerChannel = new float[in];
            java.util.Arrays.fill(mulPerChannel, mul);
            float[] want = Conv2dReference.forward(shape, ChannelAffineReference.forward(x, mean, mulPerChannel, new float[in]), conv.filter().hwio(), conv.bias());
            ConvWeights folded = conv.withInputNormalizationFolded(mean, mul);
            float[] got = Conv2dReference.forward(shape, x, folded.filter().hwio(), folded.bias());
            Tolerance.FLOAT.assertClose(got, want, "folded normalisation " + shape);
        }
    }

    @Test
    void foldingRefusesAMeanPerWrongChannelCount() {
        ConvWeights conv = new ConvWeights("c", new ConvFilter("c/filter", 1, 1, 3, 2, new float[6]), new float[2]);
        assertThrows(IllegalArgumentException.class, () -> conv.withInputNormalizationFolded(new float[2], 1f));
    }

    private static float[] random(Random r, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * r.nextFloat();
        return v;
    }
}
