package dev.clpipe.cl;

import static org.jocl.CL.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Discovers every device of every OpenCL platform on this machine. */
public final class ClPlatforms {
    static final String INSTALL_HINT =
            "no OpenCL platform found. Install one, e.g. on Debian/Ubuntu: "
                    + "apt-get install pocl-opencl-icd ocl-icd-libopencl1 (CPU), or your GPU vendor's "
                    + "OpenCL driver; 'make setup' does the former. 'clinfo -l' lists what the ICD loader sees.";

    private ClPlatforms() {}

    /**
     * All devices, platform by platform; throws {@link ClException} when there is no platform.
     * One discovery at a time per JVM: the ICD loader's first call loads every driver.
     */
    public static synchronized List<ClDevice> discover() {
        SignalChaining.checkBeforeLoadingPlatforms();
        cl_platform_id[] platforms;
        try {
            JoclLibrary.load();
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            if (count[0] == 0) throw new ClException(INSTALL_HINT);
            platforms = new cl_platform_id[count[0]];
            clGetPlatformIDs(platforms.length, platforms, null);
        } catch (CLException e) {
            throw new ClException(INSTALL_HINT + " (" + e.getMessage() + ")", e);
        } catch (UnsatisfiedLinkError e) {
            throw new ClException(INSTALL_HINT + " (the OpenCL library could not be loaded: " + e.getMessage() + ")", e);
        }
        List<ClDevice> devices = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            String platformName = string(platforms[p], CL_PLATFORM_NAME);
            cl_device_id[] ids = devicesOf(platforms[p]);
            for (int d = 0; d < ids.length; d++) {
                devices.add(describe(platforms[p], p, platformName, d, ids[d]));
            }
        }
        if (devices.isEmpty()) throw new ClException(INSTALL_HINT + " (platforms exist but expose no device)");
        return List.copyOf(devices);
    }

    private static cl_device_id[] devicesOf(cl_platform_id platform) {
        try {
            int[] count = new int[1];
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
            cl_device_id[] ids = new cl_device_id[count[0]];
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            return ids;
        } catch (CLException e) {
            return new cl_device_id[0]; // CL_DEVICE_NOT_FOUND: a platform with no device is not an error
        }
    }

    private static ClDevice describe(cl_platform_id platform, int p, String platformName, int d, cl_device_id id) {
        long[] typeBits = new long[1];
        clGetDeviceInfo(id, CL_DEVICE_TYPE, Sizeof.cl_ulong, Pointer.to(typeBits), null);
        return new ClDevice(
                platform, id, p, platformName, d,
                DeviceType.fromBits(typeBits[0]),
                string(id, CL_DEVICE_VENDOR),
                string(id, CL_DEVICE_NAME),
                string(id, CL_DRIVER_VERSION),
                string(id, CL_DEVICE_VERSION),
                unsignedInt(id, CL_DEVICE_MAX_COMPUTE_UNITS),
                unsignedLong(id, CL_DEVICE_GLOBAL_MEM_SIZE),
                unsignedLong(id, CL_DEVICE_LOCAL_MEM_SIZE),
                sizeT(id, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                unsignedInt(id, CL_DEVICE_COMPILER_AVAILABLE) != 0);
    }

    static String string(cl_platform_id platform, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(platform, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        clGetPlatformInfo(platform, param, buffer.length, Pointer.to(buffer), null);
        return trimNul(buffer);
    }

    static String string(cl_device_id device, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(device, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        clGetDeviceInfo(device, param, buffer.length, Pointer.to(buffer), null);
        return trimNul(buffer);
    }

    static long unsignedLong(cl_device_id device, int param) {
        long[] value = new long[1];
        clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(value), null);
        return value[0];
    }

    static int unsignedInt(cl_device_id device, int param) {
        int[] value = new int[1];
        clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(value), null);
        return value[0];
    }

    static long sizeT(cl_device_id device, int param) {
        long[] value = new long[1];
        clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(value), null);
        return value[0];
    }

    private static String trimNul(byte[] bytes) {
        int n = bytes.length;
        while (n > 0 && bytes[n - 1] == 0) n--;
        return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
    }
}
