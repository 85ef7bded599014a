package dev.clpipe.cl;

import static org.jocl.CL.*;

import java.nio.charset.StandardCharsets;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/** The raw OpenCL calls that create, build and extract programs, with readable failures. */
final class ProgramBuilds {
    private ProgramBuilds() {}

    static cl_program fromSource(ClContext context, KernelSource source, String options) {
        return OpenClLock.call(() -> fromSourceUnlocked(context, source, options));
    }

    private static cl_program fromSourceUnlocked(ClContext context, KernelSource source, String options) {
        cl_program program = clCreateProgramWithSource(context.handle(), 1, new String[] {source.text()}, null, null);
        build(program, context.device(), options, source.file());
        return program;
    }

    /** Creates and builds from a binary; returns null if the driver refuses it (caller rebuilds). */
    static cl_program fromBinary(ClContext context, byte[] binary, String options, String file) {
        return OpenClLock.call(() -> fromBinaryUnlocked(context, binary, options, file));
    }

    private static cl_program fromBinaryUnlocked(ClContext context, byte[] binary, String options, String file) {
        int[] status = new int[1];
        int[] error = new int[1];
        cl_program program;
        try {
            program = clCreateProgramWithBinary(context.handle(), 1, new cl_device_id[] {context.device().deviceId()},
                    new long[] {binary.length}, new byte[][] {binary}, status, error);
        } catch (CLException e) {
            return null;
        }
        if (status[0] != CL_SUCCESS || error[0] != CL_SUCCESS) {
            clReleaseProgram(program);
            return null;
        }
        try {
            build(program, context.device(), options, file);
            return program;
        } catch (ClException e) {
            clReleaseProgram(program);
            return null;
        }
    }

    static void build(cl_program program, ClDevice device, String options, String file) {
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device.deviceId()}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(program, device.deviceId());
            clReleaseProgram(program);
            throw new ClException("opencl/" + file + " failed to build for " + device.describe()
                    + (options.isBlank() ? "" : " with options '" + options + "'") + ":\n" + log.strip(), e);
        }
    }

    static byte[] binary(cl_program program) {
        return OpenClLock.call(() -> binaryUnlocked(program));
    }

    private static byte[] binaryUnlocked(cl_program program) {
        long[] size = new long[1];
        clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
        byte[] binary = new byte[Math.toIntExact(size[0])];
        Pointer target = Pointer.to(binary);
        clGetProgramInfo(program, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(target), null);
        return binary;
    }

    private static String buildLog(cl_program program, cl_device_id device) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[Math.toIntExact(size[0])];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            return new String(log, StandardCharsets.UTF_8).replace("\0", "");
        } catch (CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }
}
