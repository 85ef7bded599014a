package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.ProgramSpec;
import java.util.HashMap;
import java.util.Map;

/** The conv.cl kernels one op instance launches, by build options and name (kernel objects hold arguments). */
final class ConvKernelCache implements AutoCloseable {
    private final ClContext context;
    private final Map<String, ClKernel> kernels = new HashMap<>();

    ConvKernelCache(ClContext context) {
        this.context = context;
    }

    ClKernel get(String options, String name) {
        return kernels.computeIfAbsent(options + "/" + name, key -> {
            ProgramSpec spec = new ProgramSpec("conv.cl", options);
            KernelCatalog.register(spec);
            return context.program(spec).kernel(name);
        });
    }

    @Override
    public void close() {
        kernels.values().forEach(ClKernel::close);
        kernels.clear();
    }
}
