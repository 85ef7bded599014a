package dev.clpipe.pipeline;

import dev.clpipe.cl.DeviceSelector;
import dev.clpipe.cl.parallel.FaultPlan;
import dev.clpipe.config.ConfigSection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys every device stage shares: {@code device} (this stage's devices; default the
 * pipeline's) and {@code inject_fault} (a testing knob: {@code DEVICE@STEP} makes that device
 * fail once, to exercise recovery; see {@link FaultPlan}).
 */
public record Placement(String device, String faults) {
    public static Placement read(ConfigSection s) {
        String device = s.describe("device", "devices of this stage (default: the pipeline's): cpu, gpu, all, P:D, name~TEXT, a,b")
                .optionalString("device").orElse(null);
        if (device != null) checkDeviceSyntax(s, "device", device);
        String faults = s.describe("inject_fault", "testing: DEVICE@STEP[,...] makes device DEVICE (index among this stage's devices) fail at STEP")
                .string("inject_fault", "");
        try {
            FaultPlan.parse(faults);
        } catch (IllegalArgumentException e) {
            throw s.error("inject_fault", e.getMessage());
        }
        return new Placement(device, faults);
    }

    /** A malformed device string is a config error at its key, found while planning (before any device is looked for). */
    static void checkDeviceSyntax(ConfigSection s, String key, String device) {
        try {
            DeviceSelector.checkSyntax(device);
        } catch (DeviceSelector.SyntaxException e) {
            throw s.error(key, e.getMessage());
        }
    }

    /** Records a stage's per-device shares under {@code stages.<stage id>.devices} in metrics.json. */
    public static void recordDevices(Metrics metrics, String stageId, Map<String, Object> shares) {
        metrics.put(stageId, "devices", shares);
    }

    public FaultPlan faultPlan() {
        return FaultPlan.parse(faults);
    }
}
