package dev.clpipe.augment;

/**
 * Turns a config into per-image kernel parameters: a pure function of (seed, epoch, sample index,
 * source size), each op drawing from its own counter-based stream. The fused pass has a fixed
 * stage order whatever the list order: crop, mirror, geometric ops (rotate/shear/scale/translate,
 * in list order), colour ops (in list order); elastic warping runs last, in its own pass.
 * Geometry is planned backwards, as the map from an output pixel to its source point.
 */
public final class ParamPlanner {
    private final AugmentConfig config;

    public ParamPlanner(AugmentConfig config) {
        this.config = config;
    }

    public BatchParams plan(int epoch, long[] indices, int sourceHeight, int sourceWidth, int channels) {
        if (channels < 1 || channels > ParamLayout.MAX_CHANNELS) {
            throw new IllegalArgumentException("images must have 1.." + ParamLayout.MAX_CHANNELS + " channels, got " + channels);
        }
        float[] packed = new float[indices.length * ParamLayout.SIZE];
        int[] keys = new int[indices.length];
        boolean aligned = true, anyElastic = false;
        for (int i = 0; i < indices.length; i++) {
            Sample s = planOne(epoch, indices[i], sourceHeight, sourceWidth, channels);
            s.write(packed, i * ParamLayout.SIZE, config.fill());
            keys[i] = s.elasticKey;
            aligned &= s.map.isPixelAligned();
            anyElastic |= s.elasticAlpha != 0;
        }
        return new BatchParams(packed, keys, aligned, anyElastic);
    }

    private Sample planOne(int epoch, long index, int srcH, int srcW, int channels) {
        int outW = config.outputWidth(), outH = config.outputHeight();
        double cx = outW / 2.0, cy = outH / 2.0;
        Sample s = new Sample();
        Affine inverseGeometry = Affine.IDENTITY;
        Affine crop = Affine.scale((double) srcW / outW, (double) srcH / outH);
        boolean flipH = false, flipV = false;
        for (OpSpec op : config.ops()) {
            CounterRng rng = CounterRng.of(config.seed(), epoch, index, op.name().hashCode());
            if (op instanceof MirrorSpec m) {
                flipH = rng.chance(m.horizontal());
                flipV = rng.chance(m.vertical());
            } else if (op instanceof CropSpec c) {
                if (rng.chance(c.probability())) crop = cropMap(c, rng, srcH, srcW, outH, outW);
            } else if (op instanceof CentreCropSpec) {
                crop = centreMap(srcH, srcW, outH, outW);
            } else if (op instanceof RotateSpec r) {
                if (rng.chance(r.probability())) {
                    double radians = Math.toRadians(symmetric(rng, r.degrees()));
                    inverseGeometry = inverseGeometry.after(Affine.rotate(-radians).about(cx, cy));
                }
            } else if (op instanceof ShearSpec sh) {
                if (rng.chance(sh.probability())) {
                    double tan = Math.tan(Math.toRadians(symmetric(rng, sh.degrees())));
                    inverseGeometry = inverseGeometry.after(Affine.shearX(-tan).about(cx, cy));
                }
            } else if (op instanceof ScaleSpec sc) {
                if (rng.chance(sc.probability())) {
                    double k = 1 / sc.factor().draw(rng);
                    inverseGeometry = inverseGeometry.after(Affine.scale(k, k).about(cx, cy));
                }
            } else if (op instanceof TranslateSpec t) {
                if (rng.chance(t.probability())) {
                    double tx = symmetric(rng, t.fraction()) * outW, ty = symmetric(rng, t.fraction()) * outH;
                    inverseGeometry = inverseGeometry.after(Affine.translate(-tx, -ty));
                }
            } else if (op instanceof ColorShiftSpec cs) {
                if (rng.chance(cs.probability())) {
                    for (int ch = 0; ch < ParamLayout.MAX_CHANNELS; ch++) s.bias[ch] += rng.below(2 * cs.maxShift() + 1) - cs.maxShift();
                }
            } else if (op instanceof BrightnessContrastSpec bc) {
                if (rng.chance(bc.probability())) s.brightnessContrast(bc.brightness().draw(rng), bc.contrast().draw(rng));
            } else if (op instanceof PcaColorSpec pca) {
                if (channels != 3) throw new IllegalArgumentException("pca_color needs 3-channel (RGB) images, got " + channels);
                if (rng.chance(pca.probability())) {
                    double[] offsets = pca.offsets(new double[] {rng.gaussian() * pca.sigma(), rng.gaussian() * pca.sigma(), rng.gaussian() * pca.sigma()});
                    for (int ch = 0; ch < 3; ch++) s.bias[ch] += offsets[ch];
                }
            } else if (op instanceof ElasticSpec e) {
                if (rng.chance(e.probability())) {
                    s.elasticAlpha = e.alpha();
                    s.elasticKey = rng.nextInt();
                }
            }
        }
        Affine mirror = new Affine(flipH ? -1 : 1, 0, flipH ? outW : 0, 0, flipV ? -1 : 1, flipV ? outH : 0);
        // Pixel (x, y) has its centre at (x + 0.5, y + 0.5); sources are addressed by pixel index.
        s.map = Affine.translate(-0.5, -0.5).after(crop).after(mirror).after(inverseGeometry).after(Affine.translate(0.5, 0.5));
        return s;
    }

    /** Output space -> source space for a crop box in the padded source, resized to the output. */
    private static Affine cropMap(CropSpec c, CounterRng rng, int srcH, int srcW, int outH, int outW) {
        int padW = srcW + 2 * c.padding(), padH = srcH + 2 * c.padding();
        int w, h;
        if (c.size() > 0) {
            w = Math.min(c.size(), padW);
            h = Math.min(c.size(), padH);
        } else {
            double area = c.scale().draw(rng) * padW * padH;
            double ratio = Math.exp(Math.log(c.ratio().min()) + (Math.log(c.ratio().max()) - Math.log(c.ratio().min())) * rng.uniform());
            w = (int) Math.max(1, Math.min(padW, Math.round(Math.sqrt(area * ratio))));
            h = (int) Math.max(1, Math.min(padH, Math.round(Math.sqrt(area / ratio))));
        }
        int x0 = rng.below(padW - w + 1) - c.padding();
        int y0 = rng.below(padH - h + 1) - c.padding();
        return new Affine((double) w / outW, 0, x0, 0, (double) h / outH, y0);
    }

    /** Output space -> source space for the output-sized box at the source's centre (the whole side where the source is smaller). */
    private static Affine centreMap(int srcH, int srcW, int outH, int outW) {
        int w = Math.min(outW, srcW), h = Math.min(outH, srcH);
        return new Affine((double) w / outW, 0, (srcW - w) / 2, 0, (double) h / outH, (srcH - h) / 2);
    }

    /** Uniform in [-limit, limit]. */
    private static double symmetric(CounterRng rng, double limit) {
        return (2 * rng.uniform() - 1) * limit;
    }

    /** One image's plan before packing into floats. */
    private static final class Sample {
        Affine map;
        final double[] gain = {1, 1, 1, 1};
        final double[] bias = new double[ParamLayout.MAX_CHANNELS];
        double elasticAlpha;
        int elasticKey;

        /** v -> brightness * v, then v -> contrast * (v - 128) + 128. */
        void brightnessContrast(double brightness, double contrast) {
            for (int c = 0; c < gain.length; c++) {
                gain[c] *= brightness * contrast;
                bias[c] = contrast * (bias[c] * brightness - 128) + 128;
            }
        }

        void write(float[] out, int at, int fill) {
            out[at + ParamLayout.A] = (float) map.a();
            out[at + ParamLayout.B] = (float) map.b();
            out[at + ParamLayout.C] = (float) map.c();
            out[at + ParamLayout.D] = (float) map.d();
            out[at + ParamLayout.E] = (float) map.e();
            out[at + ParamLayout.F] = (float) map.f();
            for (int c = 0; c < ParamLayout.MAX_CHANNELS; c++) {
                out[at + ParamLayout.GAIN + c] = (float) gain[c];
                out[at + ParamLayout.BIAS + c] = (float) bias[c];
            }
            out[at + ParamLayout.FILL] = fill;
            out[at + ParamLayout.ELASTIC_ALPHA] = (float) elasticAlpha;
        }
    }
}
