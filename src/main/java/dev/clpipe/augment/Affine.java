package dev.clpipe.augment;

/** A 2-D affine map x' = a x + b y + c, y' = d x + e y + f, in double precision (host side only). */
record Affine(double a, double b, double c, double d, double e, double f) {
    static final Affine IDENTITY = new Affine(1, 0, 0, 0, 1, 0);

    static Affine translate(double tx, double ty) {
        return new Affine(1, 0, tx, 0, 1, ty);
    }

    static Affine scale(double sx, double sy) {
        return new Affine(sx, 0, 0, 0, sy, 0);
    }

    static Affine rotate(double radians) {
        double cos = Math.cos(radians), sin = Math.sin(radians);
        return new Affine(cos, -sin, 0, sin, cos, 0);
    }

    static Affine shearX(double tan) {
        return new Affine(1, tan, 0, 0, 1, 0);
    }

    /** {@code this} applied after {@code first}: p -> this(first(p)). */
    Affine after(Affine first) {
        return new Affine(
                a * first.a + b * first.d, a * first.b + b * first.e, a * first.c + b * first.f + c,
                d * first.a + e * first.d, d * first.b + e * first.e, d * first.c + e * first.f + f);
    }

    /** The same map conjugated to act about the point (cx, cy). */
    Affine about(double cx, double cy) {
        return translate(cx, cy).after(this).after(translate(-cx, -cy));
    }

    /** True when the map sends pixel centres to pixel centres one-to-one along the axes (flips and whole-pixel shifts). */
    boolean isPixelAligned() {
        return Math.abs(a) == 1 && b == 0 && d == 0 && Math.abs(e) == 1 && c == Math.rint(c) && f == Math.rint(f);
    }
}
