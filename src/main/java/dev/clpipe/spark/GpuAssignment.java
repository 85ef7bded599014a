package dev.clpipe.spark;

import dev.clpipe.cl.ClDevice;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.cl.DeviceType;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device a task uses: the YAML's (or {@code --device}) string, unless Spark assigned the task
 * a GPU ({@code spark.task.resource.gpu.amount}) and the string leaves the choice open
 * ({@code auto} or {@code gpu}): then GPU address N (as the executor's discovery script numbers
 * them, e.g. nvidia-smi's index) becomes the N-th OpenCL GPU's {@code P:D} address.
 */
final class GpuAssignment {
    private static volatile List<ClDevice> gpus;

    private GpuAssignment() {}

    static String deviceFor(String configured, TaskContext task) {
        if (task == null) return configured;
        Map<String, ResourceInformation> resources = task.resourcesJMap();
        ResourceInformation gpu = resources == null ? null : resources.get("gpu");
        if (gpu == null || gpu.addresses().length == 0) return configured;
        return deviceFor(configured, gpu.addresses()[0], gpus());
    }

    /** The pure mapping, for tests: {@code gpus} are this machine's OpenCL GPUs in discovery order. */
    static String deviceFor(String configured, String address, List<ClDevice> gpus) {
        String c = configured.trim().toLowerCase(java.util.Locale.ROOT);
        if (!c.equals("auto") && !c.equals("gpu")) return configured;
        int n;
        try {
            n = Integer.parseInt(address.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Spark assigned GPU address \"" + address + "\"; expected an index 0, 1, ...");
        }
        if (n < 0 || n >= gpus.size()) {
            throw new IllegalArgumentException("Spark assigned GPU " + n + " but OpenCL sees " + gpus.size()
                    + " GPU(s) on this executor; check the discovery script against 'clpipe devices'");
        }
        return gpus.get(n).address();
    }

    private static List<ClDevice> gpus() {
        if (gpus == null) {
            gpus = ClRuntime.standard().devices().stream().filter(d -> d.type() == DeviceType.GPU).toList();
        }
        return gpus;
    }
}
