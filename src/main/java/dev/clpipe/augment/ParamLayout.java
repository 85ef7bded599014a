package dev.clpipe.augment;

/**
 * The per-image parameter block the kernels read: {@link #SIZE} floats per image, in the order
 * augment.cl's banner documents. Source coordinates of output pixel (x, y) are
 * (A x + B y + C, D x + E y + F) in source pixel units; each channel becomes GAIN[c] v + BIAS[c].
 */
final class ParamLayout {
    static final int A = 0, B = 1, C = 2, D = 3, E = 4, F = 5;
    static final int GAIN = 6;
    static final int BIAS = 10;
    static final int FILL = 14;
    static final int ELASTIC_ALPHA = 15;
    static final int SIZE = 16;
    /** Channels the gain/bias slots hold. */
    static final int MAX_CHANNELS = 4;

    private ParamLayout() {}
}
