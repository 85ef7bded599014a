package dev.clpipe.augment;

/**
 * Fits the principal axes of a data set's RGB values for {@link PcaColorSpec}: the covariance of
 * all pixels, diagonalised by Jacobi rotations (exact enough for 3x3 and dependency-free).
 * Eigenvalues are reported as standard deviations along each axis (sqrt of the covariance
 * eigenvalues), in 0..255 units, largest first, so offsets are in pixel levels.
 */
public final class PcaColor {
    private PcaColor() {}

    public static PcaColorSpec fit(ImageBatch batch, double probability, double sigma) {
        if (batch.channels() != 3) throw new IllegalArgumentException("PCA colour needs RGB images, got " + batch.channels() + " channels");
        double[][] cov = covariance(batch);
        double[][] vectors = new double[3][3];
        double[] values = jacobi(cov, vectors);
        Integer[] order = {0, 1, 2};
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double[] stddev = new double[3];
        double[][] sorted = new double[3][3];
        for (int i = 0; i < 3; i++) {
            stddev[i] = Math.sqrt(Math.max(0, values[order[i]]));
            for (int c = 0; c < 3; c++) sorted[c][i] = vectors[c][order[i]];
        }
        return new PcaColorSpec(probability, sigma, stddev, sorted);
    }

    static double[][] covariance(ImageBatch batch) {
        double[] sum = new double[3];
        double[][] products = new double[3][3];
        byte[] px = batch.pixels();
        long pixels = px.length / 3;
        for (int i = 0; i < px.length; i += 3) {
            double[] v = {px[i] & 0xFF, px[i + 1] & 0xFF, px[i + 2] & 0xFF};
            for (int a = 0; a < 3; a++) {
                sum[a] += v[a];
                for (int b = 0; b < 3; b++) products[a][b] += v[a] * v[b];
            }
        }
        double[][] cov = new double[3][3];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) cov[a][b] = products[a][b] / pixels - (sum[a] / pixels) * (sum[b] / pixels);
        }
        return cov;
    }

    /** Eigenvalues of symmetric {@code m} (destroyed); eigenvectors land in the columns of {@code vectors}. */
    static double[] jacobi(double[][] m, double[][] vectors) {
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) vectors[i][j] = i == j ? 1 : 0;
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = m[0][1] * m[0][1] + m[0][2] * m[0][2] + m[1][2] * m[1][2];
            if (off < 1e-22) break;
            for (int p = 0; p < 2; p++) {
                for (int q = p + 1; q < 3; q++) {
                    if (Math.abs(m[p][q]) < 1e-300) continue;
                    double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    rotate(m, vectors, p, q, c, s);
                }
            }
        }
        return new double[] {m[0][0], m[1][1], m[2][2]};
    }

    /** m <- J^T m J and vectors <- vectors J for the Givens rotation J in the (p, q) plane. */
    private static void rotate(double[][] m, double[][] vectors, int p, int q, double c, double s) {
        for (int k = 0; k < 3; k++) {
            double mkp = m[k][p], mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < 3; k++) {
            double mpk = m[p][k], mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
        }
        for (int k = 0; k < 3; k++) {
            double vkp = vectors[k][p], vkq = vectors[k][q];
            vectors[k][p] = c * vkp - s * vkq;
            vectors[k][q] = s * vkp + c * vkq;
        }
    }
}
