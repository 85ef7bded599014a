package dev.clpipe.cl.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Simulated device failures, to test recovery: {@code DEVICE@STEP[,DEVICE@STEP...]} makes device
 * number DEVICE (its position among the devices the stage opened, from 0) fail the first time it
 * is handed work of step (training) or work piece (item stages) STEP or later. Each fault fires
 * once. Empty text means no fault.
 */
public final class FaultPlan {
    /** One planned failure. */
    public record Fault(int device, long step) {}

    public static final FaultPlan NONE = new FaultPlan(List.of());

    private final List<Fault> faults;
    private final Set<Fault> fired = ConcurrentHashMap.newKeySet();

    public FaultPlan(List<Fault> faults) {
        this.faults = List.copyOf(faults);
    }

    public static FaultPlan parse(String text) {
        if (text == null || text.isBlank()) return NONE;
        List<Fault> faults = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            int at = p.indexOf('@');
            try {
                if (at < 1) throw new NumberFormatException();
                int device = Integer.parseInt(p.substring(0, at));
                long step = Long.parseLong(p.substring(at + 1));
                if (device < 0 || step < 0) throw new NumberFormatException();
                faults.add(new Fault(device, step));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fault '" + p + "' should be DEVICE@STEP, both whole numbers >= 0 (e.g. 1@20)");
            }
        }
        return new FaultPlan(faults);
    }

    public List<Fault> faults() {
        return faults;
    }

    /** Throws {@link InjectedDeviceFault} when a fault of {@code device} is due at {@code step} and has not fired yet. */
    public void check(int device, long step) {
        for (Fault f : faults) {
            if (f.device() == device && step >= f.step() && fired.add(f)) throw new InjectedDeviceFault(device, step);
        }
    }

    /** The failure a {@link FaultPlan} injects; recovery treats it exactly like a device error. */
    public static final class InjectedDeviceFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedDeviceFault(int device, long step) {
            super("injected fault: device " + device + " fails at step " + step);
        }
    }
}
