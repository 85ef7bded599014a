package dev.clpipe.cl;

import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jocl.cl_program;

/** Compiles from source, keeping binaries in a {@link ProgramCache} so warm runs compile nothing. */
public final class CompilingLoader implements ProgramLoader {
    private static final Logger LOG = LogManager.getLogger(CompilingLoader.class);
    private final ProgramCache cache;

    public CompilingLoader(ProgramCache cache) {
        this.cache = cache;
    }

    @Override
    public cl_program load(ClContext context, KernelSource source, String options) {
        ClDevice device = context.device();
        ProgramKey key = ProgramKey.of(source, options, device);
        Optional<byte[]> cached = cache.load(key);
        if (cached.isPresent()) {
            cl_program program = ProgramBuilds.fromBinary(context, cached.get(), options, source.file());
            if (program != null) {
                ProgramStats.countCacheHit();
                LOG.debug("{}: cache hit {}", source.file(), key.digest().substring(0, 12));
                return program;
            }
            LOG.warn("cached binary for opencl/{} was refused by the driver; rebuilding it", source.file());
            cache.evict(key);
        }
        if (!device.compilerAvailable()) {
            throw new ClException(device.describe() + " has no OpenCL compiler and no binary of opencl/" + source.file()
                    + " is cached; build binaries elsewhere with 'clpipe kernels build' and pass --kernels DIR");
        }
        long start = System.nanoTime();
        cl_program program = ProgramBuilds.fromSource(context, source, options);
        ProgramStats.countCompiled();
        LOG.info("compiled opencl/{}{} for {} in {} ms", source.file(), options.isBlank() ? "" : " [" + options + "]",
                device.name(), (System.nanoTime() - start) / 1_000_000);
        cache.store(key, ProgramBuilds.binary(program));
        return program;
    }
}
