package dev.clpipe.cl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;

/**
 * One device opened for work: its context, one in-order queue, and the programs built for it
 * (built once per (file, options), shared by every op on this device). Closing releases all.
 * Devices opened together by {@link #group} share one OpenCL context (each keeps its own queue and
 * programs), so a kernel on one may read another's buffers and a queue may wait for another's
 * events: what a device-side gradient all-reduce needs.
 */
public final class ClContext implements AutoCloseable {
    private final ClDevice device;
    private final cl_context context;
    private final ClQueue queue;
    private final ProgramLoader loader;
    private final Map<ProgramSpec, ClProgram> programs = new LinkedHashMap<>();
    private boolean released;
    private Boolean doubles;

    public ClContext(ClDevice device, ProgramLoader loader) {
        this(device, loader, create(List.of(device)));
    }

    /** One member of a shared context; holds a reference of its own to it. */
    private ClContext(ClDevice device, ProgramLoader loader, cl_context context) {
        this.device = device;
        this.loader = loader;
        this.context = context;
        try {
            this.queue = new ClQueue(context, device.deviceId());
        } catch (RuntimeException e) {
            OpenClLock.run(() -> clReleaseContext(context));
            throw e;
        }
    }

    /**
     * Opens {@code devices} (all of one platform) in one shared OpenCL context, one {@link ClContext}
     * each; every one is closed on its own and the context goes with the last.
     */
    public static List<ClContext> group(List<ClDevice> devices, ProgramLoader loader) {
        if (devices.isEmpty()) return List.of();
        if (devices.size() == 1) return List.of(new ClContext(devices.get(0), loader));
        for (ClDevice d : devices) {
            if (!d.platformId().equals(devices.get(0).platformId())) {
                throw new IllegalArgumentException("one context holds devices of one platform: " + d.describe() + " and " + devices.get(0).describe());
            }
        }
        cl_context shared = create(devices);
        List<ClContext> out = new ArrayList<>();
        try {
            for (int i = 0; i < devices.size(); i++) {
                if (i > 0) OpenClLock.run(() -> clRetainContext(shared)); // one reference per member
                out.add(new ClContext(devices.get(i), loader, shared));
            }
            return out;
        } catch (RuntimeException e) {
            out.forEach(ClContext::close);
            throw e;
        }
    }

    private static cl_context create(List<ClDevice> devices) {
        ClDevice first = devices.get(0);
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, first.platformId());
        cl_device_id[] ids = devices.stream().map(ClDevice::deviceId).toArray(cl_device_id[]::new);
        try {
            if (first.platformName().contains("Oclgrind")) OpenClLock.switchOn(); // before the first call into it
            return OpenClLock.call(() -> clCreateContext(properties, ids.length, ids, null, null, null));
        } catch (org.jocl.CLException e) {
            String names = String.join(", ", devices.stream().map(ClDevice::describe).toList());
            throw new ClException("cannot open " + names + ": " + e.getMessage(), e);
        }
    }

    /** True when both were opened in one {@link #group}: kernels of either may use buffers of the other. */
    public boolean sharesContextWith(ClContext other) {
        return context.equals(other.context);
    }

    /** Sub-buffer offsets must be multiples of this many bytes (CL_DEVICE_MEM_BASE_ADDR_ALIGN, given in bits). */
    public long baseAlignBytes() {
        int[] bits = new int[1];
        OpenClLock.run(() -> clGetDeviceInfo(device.deviceId(), CL_DEVICE_MEM_BASE_ADDR_ALIGN, Sizeof.cl_uint, Pointer.to(bits), null));
        return Math.max(Float.BYTES, Integer.toUnsignedLong(bits[0]) / 8);
    }

    /** True when the device computes in double ({@code cl_khr_fp64}; CL_DEVICE_DOUBLE_FP_CONFIG is not empty). */
    public synchronized boolean supportsDoubles() {
        if (doubles == null) doubles = queryDoubles();
        return doubles;
    }

    private boolean queryDoubles() {
        long[] config = new long[1];
        try {
            OpenClLock.run(() -> clGetDeviceInfo(device.deviceId(), CL_DEVICE_DOUBLE_FP_CONFIG, Sizeof.cl_ulong, Pointer.to(config), null));
        } catch (org.jocl.CLException e) {
            return false; // an OpenCL 1.x device without the extension may refuse the query
        }
        return config[0] != 0;
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
            if (!spec.options().isEmpty()) KernelCatalog.register(spec); // an offline build (clpipe kernels build) writes every variant a run built
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

    /** A closed {@link ClGate} for the queues of this context (and of the devices sharing it). */
    public ClGate gate() {
        return new ClGate(context);
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
