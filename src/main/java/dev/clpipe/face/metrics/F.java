package dev.clpipe.face.metrics;

final class F {
    private F() {}

    static double harmonic(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
