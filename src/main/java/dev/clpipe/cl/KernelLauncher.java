package dev.clpipe.cl;

import java.util.HashMap;
import java.util.Map;

/**
 * The one launch helper: the kernels one op instance uses from one program, created on first use
 * and enqueued without waiting, with the three launch shapes clpipe's kernels use (element-wise
 * rounded to whole work-groups, exact grids, per-group reductions). Kernel objects carry argument
 * state, so each op instance owns its own (not thread-safe; one instance per thread). The program
 * itself is cached by the context. Only {@code nn.ops} (and {@code cl}'s self-test) launch
 * kernels; {@code LaunchSitesTest} keeps it so.
 */
public final class KernelLauncher implements AutoCloseable {
    /** Work-group size for element-wise launches: a multiple of 16 so PoCL vectorises across items. */
    public static final int LOCAL = 64;

    private final ClContext context;
    private final ClProgram program;
    private final Map<String, ClKernel> kernels = new HashMap<>();

    public KernelLauncher(ClContext context, String file) {
        this(context, new ProgramSpec(file, ""));
    }

    public KernelLauncher(ClContext context, ProgramSpec spec) {
        this.context = context;
        this.program = context.program(spec);
    }

    public ClContext context() {
        return context;
    }

    public ClQueue queue() {
        return context.queue();
    }

    public ClKernel kernel(String name) {
        return kernels.computeIfAbsent(name, program::kernel);
    }

    /** Enqueues {@code kernel} over {@code items} work-items (rounded up to a whole work-group). */
    public void launch(ClKernel kernel, int items) {
        if (items <= 0) return;
        kernel.launch(queue(), new long[] {roundUp(items, LOCAL)}, new long[] {LOCAL});
    }

    /** As {@link #launch}, behind {@code after} (events of any queue of the context); returns the launch's event. */
    public ClEvent launchAfter(ClKernel kernel, int items, ClEvent... after) {
        return kernel.launchAfter(queue(), new long[] {roundUp(Math.max(items, 1), LOCAL)}, new long[] {LOCAL}, after);
    }

    /**
     * Enqueues over an exact 1-, 2- or 3-D grid (e.g. x, y, plane) and lets the driver choose the
     * work-group: kernels then find coordinates without integer division. Empty grids enqueue nothing.
     */
    public void launchGrid(ClKernel kernel, int... sizes) {
        long[] global = new long[sizes.length];
        for (int d = 0; d < sizes.length; d++) {
            if (sizes[d] <= 0) return;
            global[d] = sizes[d];
        }
        kernel.launch(queue(), global, null);
    }

    /** Enqueues {@code groups} work-groups of {@code local} items (per-channel reductions). */
    public void launchGroups(ClKernel kernel, int groups, int local) {
        if (groups <= 0) return;
        kernel.launch(queue(), new long[] {(long) groups * local}, new long[] {local});
    }

    /**
     * Enqueues over {@code global} rounded up per dimension to {@code local} (null: the driver
     * chooses and the grid is exact); kernels guard their ids. Empty grids enqueue nothing.
     */
    public void launchRounded(ClKernel kernel, long[] global, long[] local) {
        long[] g = new long[global.length];
        for (int d = 0; d < global.length; d++) {
            if (global[d] <= 0) return;
            g[d] = local == null ? global[d] : roundUp(global[d], local[d]);
        }
        kernel.launch(queue(), g, local);
    }

    /**
     * A work-group size for an exact grid (kernels that do not guard their ids) whose compiled form
     * follows the layer's shape, not the batch: PoCL builds a work-group function per local size
     * (seconds of LLVM), and a driver-chosen size follows the global one, so a data-parallel
     * replica re-split to new rows compiled again. {@code wanted[d]} must divide {@code global[d]};
     * while the group exceeds the device's {@code maxGroup} items, the last dimensions that can
     * shrink are cut to their largest proper divisor (which still divides the grid).
     */
    public static long[] shapeLocal(long[] global, long[] wanted, long maxGroup) {
        if (global.length != wanted.length) throw new IllegalArgumentException("grid and group have different dimensions");
        long[] local = wanted.clone();
        for (int d = 0; d < local.length; d++) {
            if (local[d] < 1 || global[d] % local[d] != 0) {
                throw new IllegalArgumentException("group " + java.util.Arrays.toString(wanted) + " does not divide grid " + java.util.Arrays.toString(global));
            }
        }
        for (int d = local.length - 1; d >= 0; d--) {
            while (product(local) > Math.max(1, maxGroup) && local[d] > 1) local[d] = largestProperDivisor(local[d]);
        }
        return local;
    }

    /** Rows of a batch per work-group: the largest power of two up to 8 that divides {@code rows} (1, 2, 4 or 8: few variants to compile). */
    public static int rowGroup(long rows) {
        int g = 8;
        while (rows % g != 0) g /= 2;
        return g;
    }

    private static long product(long[] v) {
        long p = 1;
        for (long x : v) p *= x;
        return p;
    }

    private static long largestProperDivisor(long n) {
        for (long f = 2; f * f <= n; f++) if (n % f == 0) return n / f;
        return 1;
    }

    public static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    @Override
    public void close() {
        kernels.values().forEach(ClKernel::close);
        kernels.clear();
    }
}
