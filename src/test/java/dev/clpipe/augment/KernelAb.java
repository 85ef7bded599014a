package dev.clpipe.augment;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.cl.KernelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Developer harness (not a test): A/B of augment.cl edits in one process by CPU time per batch
 * (utime + stime of this process from /proc, which PoCL's threads share), so other processes'
 * load on a shared machine barely moves the comparison. Args: KERNEL ROTATE(true|false) then
 * pairs FILE GLOBAL0 (NDRange {GLOBAL0, N}, local {1, 1}).
 */
public final class KernelAb {
    private static double cpuSeconds() throws Exception {
        String[] f = Files.readString(Path.of("/proc/self/stat")).replaceAll("^.*\\) ", "").split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // fields 14, 15 (clock ticks, 100 Hz)
    }

    public static void main(String[] args) throws Exception {
        int n = 64;
        String kernelName = args[0];
        boolean rotate = Boolean.parseBoolean(args[1]);
        AugmentConfig config = rotate ? new AugmentConfig(List.of(new RotateSpec(1, 10), CropSpec.fixed(224, 0)), 1, 224, 224, 0)
                : new AugmentConfig(List.of(MirrorSpec.horizontal(0.5), CropSpec.fixed(224, 0), new ColorShiftSpec(1, 20)), 1, 224, 224, 0);
        ImageBatch source = TestImages.random(1, n, 256, 256, 3);
        try (ClContext context = ClRuntime.standard().openOne("cpu")) {
            BatchParams plan = new ParamPlanner(config).plan(0, TestImages.range(n), 256, 256, 3);
            ImageBatch want = ReferenceAugmenter.fused(source, plan, 224, 224);
            List<ClKernel> kernels = new ArrayList<>();
            List<long[]> globals = new ArrayList<>();
            try (DeviceBatch in = DeviceBatch.upload(context, source);
                    DeviceBatch out = DeviceBatch.allocate(context, n, 224, 224, 3);
                    ClBuffer params = context.buffer(plan.packed())) {
                for (int i = 2; i < args.length; i += 2) {
                    ClKernel k = context.program(KernelSource.of("augment.cl", Files.readString(Path.of(args[i]))), "-D CHANNELS=3").kernel(kernelName);
                    k.arg(0, in.buffer()).arg(1, 256).arg(2, 256).arg(3, out.buffer()).arg(4, 224).arg(5, 224).arg(6, params).arg(7, n);
                    long[] global = {Long.parseLong(args[i + 1]), n};
                    k.launch(context.queue(), global, new long[] {1, 1});
                    context.queue().finish();
                    boolean ok = java.util.Arrays.equals(out.download(context.queue()).pixels(), want.pixels());
                    System.out.println(args[i] + " " + (ok ? "matches twin" : "MISMATCH"));
                    kernels.add(k);
                    globals.add(global);
                }
                double[] cpu = new double[kernels.size()];
                int[] batches = new int[kernels.size()];
                for (int round = 0; round < 6; round++) {
                    for (int c = 0; c < kernels.size(); c++) {
                        double c0 = cpuSeconds();
                        int reps = rotate ? 5 : 40;
                        for (int r = 0; r < reps; r++) kernels.get(c).launch(context.queue(), globals.get(c), new long[] {1, 1});
                        context.queue().finish();
                        cpu[c] += cpuSeconds() - c0;
                        batches[c] += reps;
                    }
                }
                for (int c = 0; c < kernels.size(); c++) {
                    System.out.printf("%s: %.2f ms CPU per batch of %d (%.0f images per CPU-second)%n",
                            args[2 + 2 * c], cpu[c] / batches[c] * 1e3, n, n * batches[c] / cpu[c]);
                }
            } finally {
                kernels.forEach(ClKernel::close);
            }
        }
    }
}
