package dev.clpipe.augment;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClQueue;
import dev.clpipe.nn.ops.AugmentWarp;
import java.util.HashMap;
import java.util.Map;

/**
 * Augments batches on one OpenCL device: plans each image's parameters on the host (a pure
 * function of seed, epoch and sample index), then runs the fused pass and, when drawn, the
 * elastic pass. Output is always {@code outputHeight x outputWidth}. One instance per thread:
 * it reuses its kernels and scratch buffers between calls.
 */
public final class Augmenter implements AutoCloseable {
    private final ClContext context;
    private final AugmentConfig config;
    private final ParamPlanner planner;
    private final Map<Integer, AugmentWarp> kernels = new HashMap<>();
    private final ElasticSpec elastic;
    private final KernelVariant variant;
    private ClBuffer params, keys, weights, noise, tmp;
    private DeviceBatch scratch;

    public Augmenter(ClContext context, AugmentConfig config) {
        this(context, config, KernelVariant.ROWS);
    }

    /** With a chosen kernel variant (tests compare both; benchmarks time both). */
    public Augmenter(ClContext context, AugmentConfig config, KernelVariant variant) {
        this.variant = variant;
        this.context = context;
        this.config = config;
        this.planner = new ParamPlanner(config);
        this.elastic = config.elastic();
    }

    public AugmentConfig config() {
        return config;
    }

    /** Host convenience: upload, augment, download (blocking). */
    public ImageBatch apply(ImageBatch in, int epoch, long[] indices) {
        if (in.count() == 0 && indices.length == 0) return ImageBatch.allocate(0, config.outputHeight(), config.outputWidth(), in.channels());
        try (DeviceBatch source = DeviceBatch.upload(context, in); DeviceBatch out = apply(source, epoch, indices)) {
            return out.download(context.queue());
        }
    }

    /** Augments into a new device batch the caller closes. */
    public DeviceBatch apply(DeviceBatch in, int epoch, long[] indices) {
        DeviceBatch out = DeviceBatch.allocate(context, in.count(), config.outputHeight(), config.outputWidth(), in.channels());
        try {
            apply(in, epoch, indices, out);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * Enqueues the augmentation of {@code in} (sample {@code indices[i]} is image i) into {@code out}
     * and returns without waiting for it. The parameter upload (a few hundred bytes) is blocking on
     * an in-order queue, so it waits for work queued before it: one batch in flight per Augmenter.
     */
    public void apply(DeviceBatch in, int epoch, long[] indices, DeviceBatch out) {
        checkShapes(in, indices, out);
        if (indices.length == 0) return;
        BatchParams plan = planner.plan(epoch, indices, in.height(), in.width(), in.channels());
        params = fit(params, plan.packed().length * (long) Float.BYTES);
        params.write(context.queue(), plan.packed());
        enqueue(in, plan, params, out);
    }

    /**
     * Enqueues the augmentation of the first {@code plan.count()} images of {@code in} into the
     * first of {@code out}, with a plan made earlier (e.g. on a prefetch thread, by
     * {@link ParamPlanner}) whose floats the caller has already written to {@code planOnDevice}.
     * Nothing blocks unless an elastic warp was drawn (its noise keys are a blocking upload).
     */
    public void apply(DeviceBatch in, BatchParams plan, ClBuffer planOnDevice, DeviceBatch out) {
        if (plan.count() > in.count() || plan.count() > out.count()) {
            throw new IllegalArgumentException("a plan for " + plan.count() + " images does not fit batches of " + in.count() + " and " + out.count());
        }
        if (out.channels() != in.channels() || out.height() != config.outputHeight() || out.width() != config.outputWidth()) {
            throw new IllegalArgumentException("output batch must be " + config.outputHeight() + "x" + config.outputWidth() + "x" + in.channels()
                    + " per image, got " + out.height() + "x" + out.width() + "x" + out.channels());
        }
        if (plan.count() > 0) enqueue(in, plan, planOnDevice, out);
    }

    private void enqueue(DeviceBatch in, BatchParams plan, ClBuffer params, DeviceBatch out) {
        ClQueue queue = context.queue();
        int count = plan.count();
        AugmentWarp k = kernels.computeIfAbsent(in.channels(), c -> new AugmentWarp(context, c, variant == KernelVariant.ROWS));
        if (elastic == null || !plan.anyElastic()) {
            k.fused(images(in), images(out), params, count, plan.pixelAligned());
            return;
        }
        scratch = fitScratch(out);
        k.fused(images(in), images(scratch), params, count, plan.pixelAligned());
        int radius = elastic.radius();
        if (weights == null) {
            weights = context.buffer(ElasticField.weights(elastic.sigma(), radius));
        }
        keys = fit(keys, count * (long) Integer.BYTES);
        keys.write(queue, plan.elasticKeys());
        long borderRows = (long) count * (out.height() + 2L * radius);
        noise = fit(noise, borderRows * (out.width() + 2L * radius) * 2 * Float.BYTES);
        tmp = fit(tmp, borderRows * out.width() * 2 * Float.BYTES);
        k.elastic(images(scratch), images(out), noise, tmp, weights, radius, keys, params, count);
    }

    private static AugmentWarp.Images images(DeviceBatch batch) {
        return new AugmentWarp.Images(batch.buffer(), batch.width(), batch.height(), batch.channels());
    }

    private void checkShapes(DeviceBatch in, long[] indices, DeviceBatch out) {
        if (in == out) throw new IllegalArgumentException("augmenting in place is not supported: pass a separate output batch");
        if (indices.length != in.count()) {
            throw new IllegalArgumentException("batch of " + in.count() + " images has " + indices.length + " sample indices");
        }
        if (out.count() != in.count() || out.channels() != in.channels()
                || out.height() != config.outputHeight() || out.width() != config.outputWidth()) {
            throw new IllegalArgumentException("output batch must be " + in.count() + "x" + config.outputHeight() + "x"
                    + config.outputWidth() + "x" + in.channels() + ", got " + out.count() + "x" + out.height() + "x"
                    + out.width() + "x" + out.channels());
        }
    }

    /** A buffer of at least {@code bytes}, reusing {@code current} when it is big enough. */
    private ClBuffer fit(ClBuffer current, long bytes) {
        if (current != null && current.bytes() >= bytes) return current;
        if (current != null) {
            context.queue().finish(); // queued kernels may still read it
            current.close();
        }
        return context.buffer(bytes);
    }

    private DeviceBatch fitScratch(DeviceBatch like) {
        if (scratch != null && scratch.count() == like.count() && scratch.channels() == like.channels()) return scratch;
        if (scratch != null) {
            context.queue().finish();
            scratch.close();
        }
        return DeviceBatch.allocate(context, like.count(), like.height(), like.width(), like.channels());
    }

    @Override
    public void close() {
        context.queue().finish();
        kernels.values().forEach(AugmentWarp::close);
        for (AutoCloseable c : new AutoCloseable[] {params, keys, weights, noise, tmp, scratch}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
