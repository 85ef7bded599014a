package dev.clpipe.cl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as discovered: native handles plus the facts users and the program cache
 * need. Indices are positions in the platform list and in that platform's device list.
 */
public record ClDevice(
        cl_platform_id platformId,
        cl_device_id deviceId,
        int platformIndex,
        String platformName,
        int deviceIndex,
        DeviceType type,
        String vendor,
        String name,
        String driverVersion,
        String openclVersion,
        int computeUnits,
        long globalMemBytes,
        long localMemBytes,
        long maxWorkGroupSize,
        boolean compilerAvailable) {

    /** The short address users type after {@code --device}, e.g. {@code 0:1}. */
    public String address() {
        return platformIndex + ":" + deviceIndex;
    }

    /** One line for logs and error messages. */
    public String describe() {
        return address() + " " + type.name().toLowerCase() + " \"" + name + "\" (" + platformName + ")";
    }
}
