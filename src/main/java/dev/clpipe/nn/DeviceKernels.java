package dev.clpipe.nn;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.ClProgram;
import java.util.HashMap;
import java.util.Map;

/**
 * Kernels of one program for one layer, created on first use. Kernel objects hold argument state,
 * so every layer owns its own; launches enqueue and return.
 */
public final class DeviceKernels implements AutoCloseable {
    /** Element-wise work-group size: a multiple of 16 so PoCL vectorises across work-items. */
    static final int LOCAL = 64;

    private final ClContext context;
    private final ClProgram program;
    private final Map<String, ClKernel> kernels = new HashMap<>();

    public DeviceKernels(ClContext context, String file) {
        this.context = context;
        this.program = context.program(file);
    }

    public ClContext context() {
        return context;
    }

    public ClKernel kernel(String name) {
        return kernels.computeIfAbsent(name, program::kernel);
    }

    /** Enqueues over {@code items} work-items, rounded up to whole work-groups. */
    public void launch(ClKernel kernel, int items) {
        if (items <= 0) return;
        long global = ((long) items + LOCAL - 1) / LOCAL * LOCAL;
        kernel.launch(context.queue(), new long[] {global}, new long[] {LOCAL});
    }

    /** Enqueues over an exact 2-D or 3-D grid; the driver picks the work-group (kernels need no division). */
    public void launchGrid(ClKernel kernel, int... sizes) {
        long[] global = new long[sizes.length];
        for (int d = 0; d < sizes.length; d++) global[d] = sizes[d];
        kernel.launch(context.queue(), global, null);
    }

    /** Enqueues {@code groups} work-groups of {@code local} items (reductions). */
    public void launchGroups(ClKernel kernel, int groups, int local) {
        kernel.launch(context.queue(), new long[] {(long) groups * local}, new long[] {local});
    }

    @Override
    public void close() {
        kernels.values().forEach(ClKernel::close);
        kernels.clear();
    }
}
