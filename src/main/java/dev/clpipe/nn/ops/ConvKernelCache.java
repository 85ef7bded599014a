package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClKernel;
import dev.clpipe.cl.KernelCatalog;
import dev.clpipe.cl.ProgramSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * The convolution kernels one op instance launches, by file, build options and name (kernel objects
 * hold arguments). One file per family: {@link #REGISTER_BLOCKED}, {@link #DEPTHWISE}, {@link #SUMS},
 * {@link #IM2COL} (the small-shape family, conv_small.cl, is launched by SmallConv).
 */
final class ConvKernelCache implements AutoCloseable {
    static final String REGISTER_BLOCKED = "conv_rb.cl";
    static final String DEPTHWISE = "conv_dw.cl";
    static final String SUMS = "conv_sums.cl";
    static final String IM2COL = "conv_im2col.cl";
    private final ClContext context;
    private final Map<String, ClKernel> kernels = new HashMap<>();

    ConvKernelCache(ClContext context) {
        this.context = context;
    }

    ClKernel get(String file, String options, String name) {
        return kernels.computeIfAbsent(file + "/" + options + "/" + name, key -> {
            ProgramSpec spec = new ProgramSpec(file, options);
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
