package dev.clpipe.cl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as discovered: native handles plus the facts users and the program cache
 * need. Indices are positions in the platform list and in that platform's device list;
 * {@code part} is empty for a whole device and "i/N" for one of N equal sub-devices ({@link SubDevices}).
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
        boolean compilerAvailable,
        String part) {

    public ClDevice {
        part = part == null ? "" : part;
    }

    /** A whole device. */
    public ClDevice(cl_platform_id platformId, cl_device_id deviceId, int platformIndex, String platformName, int deviceIndex, DeviceType type,
            String vendor, String name, String driverVersion, String openclVersion, int computeUnits, long globalMemBytes, long localMemBytes,
            long maxWorkGroupSize, boolean compilerAvailable) {
        this(platformId, deviceId, platformIndex, platformName, deviceIndex, type, vendor, name, driverVersion, openclVersion, computeUnits,
                globalMemBytes, localMemBytes, maxWorkGroupSize, compilerAvailable, "");
    }

    /** The short address users type after {@code --device}, e.g. {@code 0:1}; a sub-device adds its part, e.g. {@code 0:0#1/2}. */
    public String address() {
        return platformIndex + ":" + deviceIndex + (part.isEmpty() ? "" : "#" + part);
    }

    /** One line for logs and error messages. */
    public String describe() {
        return address() + " " + type.name().toLowerCase() + " \"" + name + "\" (" + platformName + ")";
    }
}
