package dev.clpipe.cl.parallel;

import dev.clpipe.cl.ClException;

/** Which exceptions mean "this device is gone" (drop it, redo its work elsewhere) rather than a bug. */
public final class DeviceFailures {
    private DeviceFailures() {}

    public static boolean isDeviceFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ClException || c instanceof org.jocl.CLException || c instanceof FaultPlan.InjectedDeviceFault) return true;
        }
        return false;
    }
}
