package dev.clpipe.cl;

import static org.jocl.CL.*;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;

/**
 * One device opened for work: its context, one in-order queue, and the programs built for it
 * (built once per (file, options), shared by every op on this device). Closing releases all.
 */
public final class ClContext implements AutoCloseable {
    private final ClDevice device;
    private final cl_context context;
    private final ClQueue queue;
    private final ProgramLoader loader;
    private final Map<ProgramSpec, ClProgram> programs = new LinkedHashMap<>();
    private boolean released;

    public ClContext(ClDevice device, ProgramLoader loader) {
        this.device = device;
        this.loader = loader;
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
        try {
            if (device.platformName().contains("Oclgrind")) OpenClLock.switchOn(); // before the first call into it
            this.context = OpenClLock.call(() -> clCreateContext(properties, 1, new cl_device_id[] {device.deviceId()}, null, null, null));
        } catch (org.jocl.CLException e) {
            throw new ClException("cannot open " + device.describe() + ": " + e.getMessage(), e);
        }
        this.queue = new ClQueue(context, device.deviceId());
    }

    public ClDevice device() {
        return device;
    }

    public ClQueue queue() {
        return queue;
    }

    cl_context handle() {
        return context;
    }

    /** The program for a kernel file with default options. */
    public ClProgram program(String file) {
        return program(new ProgramSpec(file, ""));
    }

    /** The program for a kernel file and build options, built (or loaded) on first use. */
    public synchronized ClProgram program(ProgramSpec spec) {
        ClProgram program = programs.get(spec);
        if (program == null) {
            KernelSource source = KernelSource.load(spec.file());
            program = new ClProgram(loader.load(this, source, spec.options()), spec.file());
            programs.put(spec, program);
        }
        return program;
    }

    /** A program from source text not shipped as a file (self-test, tests); never cached by spec. */
    public ClProgram program(KernelSource source, String options) {
        return new ClProgram(loader.load(this, source, options), source.file());
    }

    /** An uninitialised read-write buffer. */
    public ClBuffer buffer(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("buffer size must be positive, got " + bytes);
        try {
            return new ClBuffer(OpenClLock.call(() -> clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null)), bytes);
        } catch (org.jocl.CLException e) {
            throw new ClException("cannot allocate " + bytes + " bytes on " + device.describe() + ": " + e.getMessage(), e);
        }
    }

    /** A buffer of floats initialised from {@code data}. */
    public ClBuffer buffer(float[] data) {
        long bytes = (long) data.length * Float.BYTES;
        try {
            return new ClBuffer(OpenClLock.call(() -> clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, bytes, Pointer.to(data), null)), bytes);
        } catch (org.jocl.CLException e) {
            throw new ClException("cannot allocate " + bytes + " bytes on " + device.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (released) return;
        released = true;
        queue.close();
        programs.values().forEach(ClProgram::close);
        programs.clear();
        OpenClLock.run(() -> clReleaseContext(context));
    }
}
