package dev.clpipe.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which rounds of a {@link TakingTurns} measurement ran on a quiet machine, from the
 * {@link CoreProbe} readings taken before and after each of a round's measurements. A round is
 * quiet when every one of its readings shows the probe's threads scaling to at least
 * {@link #SCALING_SHARE} of their number and the single thread at {@link #SPEED_SHARE} or more of
 * the fastest single-thread reading of the whole run: the machine gave all its cores, at full
 * speed, from the round's first measurement to its last. Every device of the round (alone and
 * together) is judged by the same readings, so the filter favours neither side of the ratio.
 */
final class QuietRounds {
    /** n threads must run at least this share of n times one thread's rate (1.9x for two). */
    static final double SCALING_SHARE = 0.95;
    /** A single thread must run at least this share of the run's fastest single-thread reading. */
    static final double SPEED_SHARE = 0.9;

    private final int threads;
    private final List<List<CoreProbe.Reading>> readings = new ArrayList<>();

    QuietRounds(int threads, int rounds) {
        this.threads = threads;
        for (int r = 0; r < rounds; r++) readings.add(new ArrayList<>());
    }

    void add(int round, CoreProbe.Reading reading) {
        readings.get(round).add(reading);
    }

    /** The lowest scaling of the round's readings so far (how many cores' worth the machine gave at worst). */
    double scaling(int round) {
        return lowest(round, CoreProbe.Reading::scaling);
    }

    /** The lowest memory scaling of the round's readings so far (what work bound by memory could gain at best). */
    double memoryScaling(int round) {
        return lowest(round, CoreProbe.Reading::memoryScaling);
    }

    private double lowest(int round, java.util.function.ToDoubleFunction<CoreProbe.Reading> figure) {
        return readings.get(round).stream().mapToDouble(figure).min().orElse(Double.NaN);
    }

    /** The verdict over all rounds, once they are measured. */
    Verdict result() {
        double best = readings.stream().flatMap(List::stream).mapToDouble(CoreProbe.Reading::singleRate).max().orElse(Double.NaN);
        List<Double> scaling = new ArrayList<>(), speed = new ArrayList<>(), memory = new ArrayList<>();
        List<Integer> quiet = new ArrayList<>();
        for (int r = 0; r < readings.size(); r++) {
            double s = scaling(r);
            double v = lowest(r, CoreProbe.Reading::singleRate) / best;
            scaling.add(s);
            speed.add(v);
            memory.add(memoryScaling(r));
            if (s >= SCALING_SHARE * threads && v >= SPEED_SHARE) quiet.add(r);
        }
        return new Verdict(List.copyOf(quiet), List.copyOf(scaling), List.copyOf(speed), List.copyOf(memory));
    }

    /**
     * {@code rounds}: the quiet rounds (0-based); per round, the probe's lowest scaling, its
     * slowest single thread as a share of the run's fastest, and its lowest memory scaling.
     */
    record Verdict(List<Integer> rounds, List<Double> scaling, List<Double> speed, List<Double> memory) {
        /** The median of {@code ratios} over the quiet rounds (the mean of the middle two for an even count); NaN if none. */
        double median(double[] ratios) {
            double[] q = rounds.stream().mapToDouble(r -> ratios[r]).sorted().toArray();
            if (q.length == 0) return Double.NaN;
            return q.length % 2 == 1 ? q[q.length / 2] : (q[q.length / 2 - 1] + q[q.length / 2]) / 2;
        }

        /** JSON fields: the probe per round, the quiet rounds (1-based) and, if any, the median speed-up over them. */
        Map<String, Object> toJson(List<Double> speedups) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("core_probe_scaling_x_per_round", scaling);
            m.put("core_probe_speed_share_per_round", speed);
            m.put("memory_probe_scaling_x_per_round", memory);
            m.put("quiet_rounds", rounds.stream().map(r -> r + 1).toList());
            double median = median(speedups.stream().mapToDouble(Double::doubleValue).toArray());
            if (!Double.isNaN(median)) m.put("speedup_over_one_device_quiet_rounds", median);
            return m;
        }
    }
}
