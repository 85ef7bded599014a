package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.cl.parallel.FaultPlan;

/**
 * The keys every device stage shares: {@code device} (this stage's devices; default the
 * pipeline's) and {@code inject_fault} (a testing knob: {@code DEVICE@STEP} makes that device
 * fail once, to exercise recovery; see {@link FaultPlan}).
 */
public record Placement(String device, String faults) {
    public static Placement read(ConfigSection s) {
        String device = s.describe("device", "devices of this stage (default: the pipeline's): cpu, gpu, all, P:D, name~TEXT, a,b")
                .optionalString("device").orElse(null);
        String faults = s.describe("inject_fault", "testing: DEVICE@STEP[,...] makes device DEVICE (index among this stage's devices) fail at STEP")
                .string("inject_fault", "");
        try {
            FaultPlan.parse(faults);
        } catch (IllegalArgumentException e) {
            throw s.error("inject_fault", e.getMessage());
        }
        return new Placement(device, faults);
    }

    public FaultPlan faultPlan() {
        return FaultPlan.parse(faults);
    }
}
