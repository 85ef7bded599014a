package dev.clpipe.augment;

/**
 * AlexNet-style PCA colour augmentation (Krizhevsky et al. 2012): the RGB offset added to every
 * pixel is {@code eigenvectors . (alpha_i * eigenvalues_i)} with alpha_i ~ N(0, sigma), drawn
 * once per image. {@code eigenvectors[c][i]} is channel c of principal axis i; eigenvalues are in
 * 0..255 pixel units (see {@link PcaColor#fit}). Needs 3-channel images.
 */
public record PcaColorSpec(double probability, double sigma, double[] eigenvalues, double[][] eigenvectors) implements OpSpec {
    /** ImageNet's lighting PCA (as used by fb.resnet.torch), rescaled from 0..1 to 0..255 units. */
    public static final double[] IMAGENET_EIGENVALUES = {0.2175 * 255, 0.0188 * 255, 0.0045 * 255};
    public static final double[][] IMAGENET_EIGENVECTORS = {
        {-0.5675, 0.7192, 0.4009},
        {-0.5808, -0.0045, -0.8140},
        {-0.5836, -0.6948, 0.4203},
    };

    public PcaColorSpec {
        Checks.probability("pca_color.probability", probability);
        Checks.within("pca_color.sigma", sigma, 0, 10);
        if (eigenvalues == null || eigenvalues.length != 3) {
            throw new IllegalArgumentException("pca_color.eigenvalues must hold 3 numbers");
        }
        if (eigenvectors == null || eigenvectors.length != 3) {
            throw new IllegalArgumentException("pca_color.eigenvectors must be a 3x3 matrix");
        }
        for (int i = 0; i < 3; i++) {
            Checks.within("pca_color.eigenvalues[" + i + "]", eigenvalues[i], 0, 1e6);
            if (eigenvectors[i] == null || eigenvectors[i].length != 3) {
                throw new IllegalArgumentException("pca_color.eigenvectors must be a 3x3 matrix, row " + i + " is not 3 long");
            }
        }
        eigenvalues = eigenvalues.clone();
        double[][] copy = new double[3][];
        for (int i = 0; i < 3; i++) copy[i] = eigenvectors[i].clone();
        eigenvectors = copy;
    }

    /** ImageNet statistics with AlexNet's sigma of 0.1. */
    public static PcaColorSpec imagenet(double probability) {
        return new PcaColorSpec(probability, 0.1, IMAGENET_EIGENVALUES, IMAGENET_EIGENVECTORS);
    }

    /** The RGB offset for the drawn alphas: eigenvectors . (alpha_i * eigenvalues_i). */
    double[] offsets(double[] alphas) {
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) out[c] += eigenvectors[c][i] * alphas[i] * eigenvalues[i];
        }
        return out;
    }

    @Override
    public String name() {
        return "pca_color";
    }
}
