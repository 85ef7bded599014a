package dev.clpipe.config;

/**
 * Safety limits applied to every YAML document read.
 *
 * @param maxCodePoints largest document accepted, in Unicode code points
 * @param maxDepth      deepest nesting of maps and lists accepted
 * @param maxAliases    most aliases ({@code *name}) to maps or lists per document
 * @param maxNodes      most nodes after expanding aliases (stops alias bombs that stay under maxAliases)
 */
public record YamlLimits(int maxCodePoints, int maxDepth, int maxAliases, int maxNodes) {

    /** 4 Mi code points, depth 64, 50 collection aliases, 250 000 nodes. */
    public static final YamlLimits DEFAULT = new YamlLimits(4 * 1024 * 1024, 64, 50, 250_000);

    public YamlLimits {
        if (maxCodePoints < 1 || maxDepth < 1 || maxAliases < 0 || maxNodes < 1) {
            throw new IllegalArgumentException("YAML limits must be positive: " + maxCodePoints + ", "
                    + maxDepth + ", " + maxAliases + ", " + maxNodes);
        }
    }
}
