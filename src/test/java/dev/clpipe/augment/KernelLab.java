package dev.clpipe.augment;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.ClProgram;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.cl.KernelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Developer harness (not a test): times augment.cl kernel variants and local sizes on the fused
 * copy chain, reading the kernel file from disk so edits need no rebuild.
 * Run: java -cp target/test-classes:target/classes:CP dev.clpipe.augment.KernelLab KERNEL GX GY LX LY [file]
 */
public final class KernelLab {
    /** Best time of a kernel that only copies the output's bytes: the floor for this batch. */
    private static double baseline(ClContext context, DeviceBatch in, DeviceBatch out) {
        String src = "__kernel void copy16(__global const uchar* a, __global uchar* b) { size_t i = get_global_id(0);"
                + " vstore16(vload16(i, a), i, b); }";
        long vectors = out.buffer().bytes() / 16;
        try (ClKernel k = context.program(KernelSource.of("copy16.cl", src), "").kernel("copy16")) {
            k.arg(0, in.buffer()).arg(1, out.buffer());
            k.launch(context.queue(), new long[] {vectors}, new long[] {64});
            context.queue().finish();
            double best = Double.MAX_VALUE;
            for (int trial = 0; trial < 7; trial++) {
                long start = System.nanoTime();
                for (int i = 0; i < 5; i++) k.launch(context.queue(), new long[] {vectors}, new long[] {64});
                context.queue().finish();
                best = Math.min(best, (System.nanoTime() - start) / 1e9 / 5);
            }
            return best;
        }
    }

    public static void main(String[] args) throws Exception {
        String kernelName = args[0];
        long gx = Long.parseLong(args[1]), gy = Long.parseLong(args[2]);
        long lx = Long.parseLong(args[3]), ly = Long.parseLong(args[4]);
        String file = args.length > 5 ? args[5] : "opencl/augment.cl";
        int n = 64;
        AugmentConfig config = Boolean.getBoolean("rotate")
                ? new AugmentConfig(List.of(new RotateSpec(1, 10), CropSpec.fixed(224, 0)), 1, 224, 224, 0)
                : new AugmentConfig(List.of(MirrorSpec.horizontal(Double.parseDouble(System.getProperty("mirror", "0.5"))), CropSpec.fixed(224, 0), new ColorShiftSpec(1, 20)), 1, 224, 224, 0);
        ImageBatch source = TestImages.random(1, n, 256, 256, 3);
        try (ClContext context = ClRuntime.standard().openOne("cpu")) {
            ClProgram program = context.program(KernelSource.of("augment.cl", Files.readString(Path.of(file))), "-D CHANNELS=3");
            BatchParams plan = new ParamPlanner(config).plan(0, TestImages.range(n), 256, 256, 3);
            try (ClKernel kernel = program.kernel(kernelName);
                    DeviceBatch in = DeviceBatch.upload(context, source);
                    DeviceBatch out = DeviceBatch.allocate(context, n, 224, 224, 3);
                    ClBuffer params = context.buffer(plan.packed())) {
                kernel.arg(0, in.buffer()).arg(1, 256).arg(2, 256).arg(3, out.buffer()).arg(4, 224).arg(5, 224).arg(6, params).arg(7, n);
                long[] global = gy == 0 ? new long[] {gx, n} : new long[] {gx, gy, n};
                long[] local = gy == 0 ? new long[] {lx, 1} : new long[] {lx, ly, 1};
                for (int i = 0; i < 2; i++) kernel.launch(context.queue(), global, local);
                context.queue().finish();
                ImageBatch want = ReferenceAugmenter.fused(source, plan, 224, 224);
                ImageBatch got = out.download(context.queue());
                boolean ok = java.util.Arrays.equals(got.pixels(), want.pixels());
                double s = Double.MAX_VALUE;
                for (int trial = 0; trial < 7; trial++) {
                    long start = System.nanoTime();
                    for (int i = 0; i < 5; i++) kernel.launch(context.queue(), global, local);
                    context.queue().finish();
                    s = Math.min(s, (System.nanoTime() - start) / 1e9 / 5);
                }
                double copy = baseline(context, in, out);
                System.out.printf("%s global %s local %s: best %.2f ms/batch, %.0f images/s (%.1fx a plain vload16 copy at %.2f ms), %s%n",
                        kernelName, java.util.Arrays.toString(global), java.util.Arrays.toString(local), s * 1e3, n / s, s / copy, copy * 1e3,
                        ok ? "matches twin" : "MISMATCH");
            }
        }
    }
}
