package dev.clpipe.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClDevice;
import java.util.List;

/**
 * Where a benchmark row ran, the {@code device} object of {@code clpipe bench --json}: one OpenCL
 * device ({@code kind: "opencl"}, its address, type and platform), the host CPU ({@code "host"}),
 * or several devices measured together or each alone ({@code "devices"}, with their count).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchDevice(String kind, String name, String address, String type, String platform, Integer count) {

    public static BenchDevice of(ClContext context) {
        return of(context.device());
    }

    public static BenchDevice of(ClDevice d) {
        return new BenchDevice("opencl", d.name(), d.address(), d.type().name().toLowerCase(), d.platformName(), null);
    }

    /** Host code (decoding, clustering, encoding) on the CPU. */
    public static BenchDevice host() {
        return new BenchDevice("host", "host CPU", null, null, null, null);
    }

    /** Several devices at once ({@code how}: "together" or "each alone"). */
    public static BenchDevice group(List<ClContext> devices, String how) {
        return new BenchDevice("devices", devices.size() + " devices " + how, null, null, null, devices.size());
    }
}
