package dev.clpipe.cl;

import static org.jocl.CL.*;

import org.jocl.cl_program;

/** A built program; hands out kernels by name. Owned and released by its {@link ClContext}. */
public final class ClProgram implements AutoCloseable {
    private final cl_program program;
    private final String file;
    private boolean released;

    ClProgram(cl_program program, String file) {
        this.program = program;
        this.file = file;
    }

    /** A new kernel object; the caller closes it. */
    public ClKernel kernel(String name) {
        try {
            return new ClKernel(OpenClLock.call(() -> clCreateKernel(program, name, null)), name);
        } catch (org.jocl.CLException e) {
            throw new ClException("kernel '" + name + "' not found in opencl/" + file + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            OpenClLock.run(() -> clReleaseProgram(program));
        }
    }
}
