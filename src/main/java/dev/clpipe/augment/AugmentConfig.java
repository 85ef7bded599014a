package dev.clpipe.augment;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An augment stage's settings: the ops (each at most once), the seed of every random draw, the
 * fixed output size, and the fill value (0..255) for pixels sampled outside the source.
 */
public record AugmentConfig(List<OpSpec> ops, long seed, int outputHeight, int outputWidth, int fill) {
    public AugmentConfig {
        if (ops == null) throw new IllegalArgumentException("augment.ops is required (may be empty)");
        ops = List.copyOf(ops);
        Set<String> seen = new HashSet<>();
        for (OpSpec op : ops) {
            if (!seen.add(op.name())) throw new IllegalArgumentException("augment.ops lists '" + op.name() + "' twice; list each op once");
        }
        Checks.within("augment.output_height", outputHeight, 1, 1 << 15);
        Checks.within("augment.output_width", outputWidth, 1, 1 << 15);
        Checks.within("augment.fill", fill, 0, 255);
    }

    public static AugmentConfig of(long seed, int outputSize, OpSpec... ops) {
        return new AugmentConfig(List.of(ops), seed, outputSize, outputSize, 0);
    }

    /** The elastic op, or null. */
    ElasticSpec elastic() {
        for (OpSpec op : ops) if (op instanceof ElasticSpec e) return e;
        return null;
    }
}
