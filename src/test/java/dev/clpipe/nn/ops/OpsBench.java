package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClContext;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Napkin-math benchmark of the memory-bound ops at a ResNet-ish activation size: prints ms per
 * call and effective GB/s (bytes the op must move at least). Not a correctness test; excluded by
 * default ({@code slow}). Run: {@code mvn test -Dtest=OpsBench -Dtest.excludedGroups=}.
 */
@Tag("slow")
class OpsBench {
    static final int N = 16, C = 64, H = 56, W = 56;

    @Test
    void bench() {
        ClContext ctx = TestDevices.context();
        int size = N * C * H * W;
        Random r = new Random(1);
        float[] data = new float[size];
        for (int i = 0; i < size; i++) data[i] = (float) r.nextGaussian();
        try (Tensor x = Tensor.fromHost(ctx, data, N, C, H, W); Tensor dy = Tensor.fromHost(ctx, data, N, C, H, W);
             Tensor gamma = Tensor.zeros(ctx, C).fill(1f); Tensor beta = Tensor.zeros(ctx, C);
             Tensor rm = Tensor.zeros(ctx, C); Tensor rv = Tensor.zeros(ctx, C).fill(1f);
             Activation relu = new Activation(ctx, Activation.Kind.RELU); Pool2d max = new Pool2d(ctx, Pool2d.Mode.MAX, PoolWindow.of(3, 2, 1));
             BatchNorm bn = new BatchNorm(ctx); Dropout drop = new Dropout(ctx, 0.5f); Add add = new Add(ctx);
             Upsample up = new Upsample(ctx, Upsample.Mode.BILINEAR, 2 * H, 2 * W); Adam adam = new Adam(ctx, Adam.Config.adam(1e-3f));
             Adam.State state = new Adam.State()) {
            long bytes = 4L * size;
            time("relu fwd", 2 * bytes, () -> relu.forward(x));
            time("relu bwd", 3 * bytes, () -> relu.backward(x, x, dy));
            time("add", 3 * bytes, () -> add.forward(x, dy));
            time("dropout fwd", 2 * bytes, () -> drop.forward(x, 7, 1));
            time("maxpool 3/2/1 fwd", bytes + bytes / 4 * 2, () -> max.forward(x));
            try (Tensor y = max.forward(x)) {
                time("maxpool 3/2/1 bwd", bytes + bytes / 4 * 2, () -> max.backward(y));
            }
            time("batchnorm train fwd", 4 * bytes, () -> {
                BatchNorm.Training t = bn.forwardTraining(x, gamma, beta, rm, rv);
                t.mean().close();
                t.invStd().close();
                return t.y();
            });
            try (BatchNorm.Training t = bn.forwardTraining(x, gamma, beta, rm, rv)) {
                time("batchnorm bwd", 5 * bytes, () -> {
                    BatchNorm.Gradients g = bn.backward(x, dy, gamma, t.mean(), t.invStd());
                    g.dGamma().close();
                    g.dBeta().close();
                    return g.dx();
                });
            }
            time("bilinear 2x fwd", 5 * bytes, () -> up.forward(x));
            try (Tensor p = x.copy()) {
                time("adam step", 7 * bytes, () -> {
                    adam.step(p, dy, state);
                    return null;
                });
            }
        }
    }

    static void time(String what, long bytes, Supplier<Tensor> op) {
        ClContext ctx = TestDevices.context();
        for (int i = 0; i < 2; i++) close(op.get());
        ctx.queue().finish();
        int reps = 5;
        long t0 = System.nanoTime();
        List<Tensor> outs = new java.util.ArrayList<>();
        for (int i = 0; i < reps; i++) outs.add(op.get());
        ctx.queue().finish();
        double ms = (System.nanoTime() - t0) / 1e6 / reps;
        outs.forEach(OpsBench::close);
        System.out.printf("%-22s %8.2f ms  %6.2f GB/s%n", what, ms, bytes / ms / 1e6);
    }

    static void close(Tensor t) {
        if (t != null) t.close();
    }
}
