package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.ClProgram;
import dev.clpipe.cl.ClQueue;
import dev.clpipe.cl.ProgramSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernels one op instance uses from one program, created on first use and launched without
 * waiting. Kernel objects carry argument state, so each op instance owns its own (ops are not
 * thread-safe; use one instance per thread). The program itself is cached by the context.
 */
final class OpKernels implements AutoCloseable {
    /** Work-group size for element-wise launches: a multiple of 16 so PoCL vectorises across items. */
    static final int LOCAL = 64;

    private final ClContext context;
    private final ClProgram program;
    private final Map<String, ClKernel> kernels = new HashMap<>();

    OpKernels(ClContext context, String file) {
        this(context, new ProgramSpec(file, ""));
    }

    OpKernels(ClContext context, ProgramSpec spec) {
        this.context = context;
        this.program = context.program(spec);
    }

    ClContext context() {
        return context;
    }

    ClQueue queue() {
        return context.queue();
    }

    ClKernel kernel(String name) {
        return kernels.computeIfAbsent(name, program::kernel);
    }

    /** Enqueues {@code kernel} over {@code items} work-items (rounded up to a whole work-group). */
    void launch(ClKernel kernel, int items) {
        if (items <= 0) return;
        long global = ((long) items + LOCAL - 1) / LOCAL * LOCAL;
        kernel.launch(queue(), new long[] {global}, new long[] {LOCAL});
    }

    /**
     * Enqueues over an exact 2-D or 3-D grid (e.g. x, y, plane) and lets the driver choose the
     * work-group: kernels then find coordinates without integer division.
     */
    void launchGrid(ClKernel kernel, int... sizes) {
        long[] global = new long[sizes.length];
        for (int d = 0; d < sizes.length; d++) {
            if (sizes[d] <= 0) return;
            global[d] = sizes[d];
        }
        kernel.launch(queue(), global, null);
    }

    /** Enqueues {@code groups} work-groups of {@code local} items (per-channel reductions). */
    void launchGroups(ClKernel kernel, int groups, int local) {
        if (groups <= 0) return;
        kernel.launch(queue(), new long[] {(long) groups * local}, new long[] {local});
    }

    @Override
    public void close() {
        kernels.values().forEach(ClKernel::close);
        kernels.clear();
    }
}
