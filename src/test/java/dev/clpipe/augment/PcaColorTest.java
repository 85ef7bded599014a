package dev.clpipe.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaColorTest {
    @Test
    void fitFindsTheAxesOfSyntheticColours() {
        // Pixels spread along grey (1,1,1)/sqrt3 with std 30 and along (1,-1,0)/sqrt2 with std 5.
        Random random = new Random(3);
        ImageBatch batch = ImageBatch.allocate(1, 200, 200, 3);
        for (int i = 0; i < 200 * 200; i++) {
            double a = random.nextGaussian() * 30, b = random.nextGaussian() * 5;
            double[] rgb = {128 + a / Math.sqrt(3) + b / Math.sqrt(2), 128 + a / Math.sqrt(3) - b / Math.sqrt(2), 128 + a / Math.sqrt(3)};
            for (int c = 0; c < 3; c++) batch.pixels()[i * 3 + c] = (byte) Math.round(rgb[c]);
        }
        PcaColorSpec spec = PcaColor.fit(batch, 1, 0.1);
        assertEquals(30, spec.eigenvalues()[0], 1.0);
        assertEquals(5, spec.eigenvalues()[1], 0.3);
        assertEquals(0, spec.eigenvalues()[2], 0.5); // only rounding noise
        double dot = 0;
        for (int c = 0; c < 3; c++) dot += spec.eigenvectors()[c][0] / Math.sqrt(3);
        assertEquals(1, Math.abs(dot), 1e-3, "first axis is grey");
    }

    @Test
    void jacobiDiagonalisesASymmetricMatrix() {
        double[][] m = {{4, 1, 2}, {1, 3, 0.5}, {2, 0.5, 5}};
        double[][] copy = {m[0].clone(), m[1].clone(), m[2].clone()};
        double[][] v = new double[3][3];
        double[] values = PcaColor.jacobi(copy, v);
        for (int i = 0; i < 3; i++) {
            for (int r = 0; r < 3; r++) {
                double mv = 0;
                for (int k = 0; k < 3; k++) mv += m[r][k] * v[k][i];
                assertEquals(values[i] * v[r][i], mv, 1e-9, "M v = lambda v");
            }
        }
    }
}
