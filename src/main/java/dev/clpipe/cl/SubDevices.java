package dev.clpipe.cl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_device_partition_property;

/**
 * Splits a device into N sub-devices of equal compute units ({@code --device P:D/N},
 * clCreateSubDevices with CL_DEVICE_PARTITION_EQUALLY). On PoCL's CPU driver this is the way to
 * get devices that really run side by side: all {@code pthread} devices of a process share one
 * pool of worker threads (with {@code POCL_DEVICES="pthread pthread" POCL_MAX_PTHREAD_COUNT=1}
 * both devices take turns on one thread), while each sub-device of a device with N threads runs
 * its work-groups on threads of its own. The sub-devices live as long as the process.
 */
public final class SubDevices {
    private SubDevices() {}

    public static List<ClDevice> split(ClDevice parent, int parts) {
        if (parts < 2) throw new DeviceSelector.SyntaxException("a device is split into 2 or more parts, not " + parts);
        if (parent.computeUnits() % parts != 0) {
            throw new ClException("device " + parent.describe() + " has " + parent.computeUnits() + " compute units, which do not split into "
                    + parts + " equal parts" + (parent.platformName().contains("Portable") ? " (PoCL: set POCL_MAX_PTHREAD_COUNT to a multiple of " + parts + ")" : ""));
        }
        cl_device_partition_property equally = new cl_device_partition_property();
        equally.addProperty(CL_DEVICE_PARTITION_EQUALLY, parent.computeUnits() / parts);
        cl_device_id[] ids = new cl_device_id[parts];
        int[] made = new int[1];
        try {
            clCreateSubDevices(parent.deviceId(), equally, parts, ids, made);
        } catch (CLException e) {
            throw new ClException("device " + parent.describe() + " cannot be split into " + parts + " sub-devices: " + e.getMessage());
        }
        if (made[0] != parts) throw new ClException("device " + parent.describe() + " gave " + made[0] + " sub-devices where " + parts + " were asked for");
        List<ClDevice> out = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            out.add(new ClDevice(parent.platformId(), ids[i], parent.platformIndex(), parent.platformName(), parent.deviceIndex(), parent.type(),
                    parent.vendor(), parent.name(), parent.driverVersion(), parent.openclVersion(), parent.computeUnits() / parts,
                    parent.globalMemBytes(), parent.localMemBytes(), parent.maxWorkGroupSize(), parent.compilerAvailable(), (i + 1) + "/" + parts));
        }
        return out;
    }
}
