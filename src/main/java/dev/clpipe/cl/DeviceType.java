package dev.clpipe.cl;

import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;

/** The OpenCL device categories users select by name. */
public enum DeviceType {
    GPU, ACCELERATOR, CPU, OTHER;

    static DeviceType fromBits(long bits) {
        if ((bits & CL_DEVICE_TYPE_GPU) != 0) return GPU;
        if ((bits & CL_DEVICE_TYPE_ACCELERATOR) != 0) return ACCELERATOR;
        if ((bits & CL_DEVICE_TYPE_CPU) != 0) return CPU;
        return OTHER;
    }
}
