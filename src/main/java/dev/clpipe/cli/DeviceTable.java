package dev.clpipe.cli;

import java.util.List;
import java.util.Map;

/** The human-readable form of {@code clpipe devices}. */
final class DeviceTable {
    private DeviceTable() {}

    @SuppressWarnings("unchecked")
    static String render(List<Map<String, Object>> rows) {
        StringBuilder text = new StringBuilder();
        String format = "%-5s %-11s %-4s %-9s %-9s %-6s %-8s %-10s %s%n";
        text.append(String.format(format, "ADDR", "TYPE", "CU", "GLOBAL", "LOCAL", "MAXWG", "COMPILER", "SELF-TEST", "NAME / PLATFORM / DRIVER / VERSION"));
        for (Map<String, Object> r : rows) {
            Map<String, Object> test = (Map<String, Object>) r.get("self_test");
            String verdict = test == null ? "skipped"
                    : Boolean.TRUE.equals(test.get("passed")) ? "ok " + test.get("copy_gb_per_s") + "GB/s" : "FAILED";
            text.append(String.format(format, r.get("address"), ((String) r.get("type")).toLowerCase(), r.get("compute_units"),
                    bytes((long) r.get("global_mem_bytes")), bytes((long) r.get("local_mem_bytes")), r.get("max_work_group_size"),
                    Boolean.TRUE.equals(r.get("compiler_available")) ? "yes" : "no", verdict,
                    r.get("name") + " / " + r.get("platform") + " / " + r.get("driver_version") + " / " + r.get("opencl_version")));
            if (test != null && test.get("error") != null) text.append("      self-test error: ").append(test.get("error")).append('\n');
        }
        return text.toString();
    }

    static String bytes(long n) {
        if (n >= 1L << 30) return String.format("%.1fGiB", n / (double) (1L << 30));
        if (n >= 1L << 20) return String.format("%.1fMiB", n / (double) (1L << 20));
        if (n >= 1L << 10) return String.format("%.0fKiB", n / 1024.0);
        return n + "B";
    }
}
