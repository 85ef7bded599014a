package dev.clpipe.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * One device at a time, then all together, timed in turn for several rounds: on a shared machine
 * the load changes from minute to minute, so each round compares rates measured in the same
 * seconds, and the report is the round with the median ratio of together to the mean single device.
 * A {@link CoreProbe} reading before and after every measurement tells the quiet rounds (the
 * machine gave the process all its cores at full speed) from the shared ones, and the report adds
 * the median over the quiet rounds: a speed-up can be judged only where the machine itself scaled.
 */
final class TakingTurns {
    /**
     * The median round: each device alone, all together, their ratio, and every round's ratio; and
     * over all rounds, the process's CPU time per image and the cores it used (CPU seconds per wall
     * second), alone and together. On a shared machine these tell the two factors of a speed-up
     * apart: the share of the cores the process got, and the CPU work an image costs.
     */
    record Result(List<Double> single, double together, double speedup, List<Double> speedups, CpuUse alone, CpuUse both, QuietRounds.Verdict quiet) {
        /** {@code row} with the median round's speed-up and, when a round was quiet, the quiet rounds' median. */
        BenchResult withSpeedups(BenchResult row) {
            double inQuiet = quiet.median(speedups.stream().mapToDouble(Double::doubleValue).toArray());
            BenchResult r = row.with("speedup_x", speedup);
            return Double.isNaN(inQuiet) ? r : r.with("speedup_quiet_rounds_x", inQuiet);
        }

        /** JSON fields for the scaling report, with the load average at the end. */
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rounds", speedups.size());
            m.put("single_images_per_s", single);
            m.put("together_images_per_s", together);
            m.put("speedup_over_one_device", speedup);
            m.put("speedup_per_round", speedups);
            m.put("efficiency", speedup / single.size());
            m.putAll(quiet.toJson(speedups));
            m.put("cpu_ms_per_image_alone", alone.msPerImage());
            m.put("cpu_ms_per_image_together", both.msPerImage());
            m.put("cores_used_alone", alone.cores());
            m.put("cores_used_together", both.cores());
            m.put("load_average", loadAverage());
            return m;
        }
    }

    /** Process CPU seconds, wall seconds and images summed over measurements. */
    static final class CpuUse {
        private double cpu;
        private double wall;
        private double images;

        /** Runs one measurement (images per second) and adds its CPU time, wall time and images. */
        double measure(DoubleSupplier rate) {
            long c0 = processCpuNanos(), t0 = System.nanoTime();
            double perSecond = rate.getAsDouble();
            double seconds = (System.nanoTime() - t0) / 1e9;
            cpu += (processCpuNanos() - c0) / 1e9;
            wall += seconds;
            images += perSecond * seconds;
            return perSecond;
        }

        double msPerImage() {
            return images > 0 ? 1000 * cpu / images : -1;
        }

        double cores() {
            return wall > 0 ? cpu / wall : -1;
        }
    }

    private TakingTurns() {}

    /** {@code alone.get(d)} and {@code together} each time one measurement and return its images per second. */
    static Result measure(List<DoubleSupplier> alone, DoubleSupplier together, int rounds, String label, PrintStream log) {
        int n = alone.size();
        double[][] single = new double[n][rounds];
        double[] both = new double[rounds], ratio = new double[rounds];
        CpuUse cpuAlone = new CpuUse(), cpuTogether = new CpuUse();
        int cores = Math.min(n, Runtime.getRuntime().availableProcessors()); // a core per device at most: more cannot scale
        CoreProbe probe = new CoreProbe(cores);
        QuietRounds quiet = new QuietRounds(cores, rounds);
        for (int r = 0; r < rounds; r++) {
            double mean = 0;
            quiet.add(r, probe.read());
            for (int d = 0; d < n; d++) {
                single[d][r] = cpuAlone.measure(alone.get(d));
                mean += single[d][r] / n;
                quiet.add(r, probe.read());
            }
            both[r] = cpuTogether.measure(together);
            ratio[r] = both[r] / mean;
            quiet.add(r, probe.read());
            if (log != null) {
                StringBuilder s = new StringBuilder();
                for (int d = 0; d < n; d++) s.append(d > 0 ? ", " : "").append(Math.round(single[d][r]));
                log.printf("  %s round %d: alone [%s] images/s, together %.0f images/s, %.2fx; the machine's own cores %.2fx, its memory %.2fx (load %.1f)%n",
                        label, r + 1, s, both[r], ratio[r], quiet.scaling(r), quiet.memoryScaling(r), loadAverage());
            }
        }
        Integer[] order = new Integer[rounds];
        for (int i = 0; i < rounds; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(ratio[a], ratio[b]));
        int median = order[rounds / 2];
        List<Double> singles = new ArrayList<>();
        for (double[] d : single) singles.add(d[median]);
        if (log != null) {
            log.printf("  %s CPU: %.3f ms per image alone, %.3f together; cores used %.2f alone, %.2f together%n", label, cpuAlone.msPerImage(),
                    cpuTogether.msPerImage(), cpuAlone.cores(), cpuTogether.cores());
        }
        QuietRounds.Verdict q = quiet.result();
        if (log != null) {
            log.printf("  %s quiet rounds (the machine gave %d cores at full speed): %s%n", label, cores,
                    q.rounds().isEmpty() ? "none" : q.rounds().size() + " of " + rounds + ", median " + String.format("%.2fx", q.median(ratio)));
        }
        return new Result(singles, both[median], ratio[median], Arrays.stream(ratio).boxed().toList(), cpuAlone, cpuTogether, q);
    }

    /** CPU time of this process (all threads, PoCL's workers included), in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The 1-minute load average, so a reader can judge how shared the machine was (-1 where unknown). */
    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
