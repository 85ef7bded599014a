package dev.clpipe.nn.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Shape-checked access to a {@link TfjsWeights} for one network: each tensor is taken with the
 * shape the network needs, and a wrong shape is refused with the tensor's name and both shapes.
 * Remembers what was taken so tensors the network never uses can be refused too.
 */
final class WeightTaker {
    private final TfjsWeights weights;
    private final String network;
    private final Set<String> taken = new HashSet<>();

    WeightTaker(TfjsWeights weights, String network) {
        this.weights = weights;
        this.network = network;
    }

    NamedTensor take(String name, int... shape) throws TfjsFormatException {
        if (!weights.contains(name)) {
            throw new TfjsFormatException(weights.manifest() + ": " + network + " needs tensor '" + name + "' "
                    + NamedTensor.shapeString(shape) + " but the manifest has none (is this the right model file?)");
        }
        NamedTensor t = weights.get(name);
        if (!t.hasShape(shape)) {
            throw new TfjsFormatException(weights.manifest() + ": tensor '" + name + "' has shape " + t.shapeString()
                    + ", " + network + " expects " + NamedTensor.shapeString(shape));
        }
        taken.add(name);
        return t;
    }

    float[] vector(String name, int n) throws TfjsFormatException {
        return take(name, n).values();
    }

    ConvFilter filter(String name, int kh, int kw, int in, int out) throws TfjsFormatException {
        return new ConvFilter(name, kh, kw, in, out, take(name, kh, kw, in, out).values());
    }

    DepthwiseFilter depthwise(String name, int k, int channels) throws TfjsFormatException {
        return new DepthwiseFilter(name, k, k, channels, take(name, k, k, channels, 1).values());
    }

    /** {@code prefix/filters} [k,k,in,out] + {@code prefix/bias} [out] (face-api's ConvParams). */
    ConvWeights conv(String prefix, int k, int in, int out) throws TfjsFormatException {
        return conv(prefix, prefix + "/filters", prefix + "/bias", k, in, out);
    }

    ConvWeights conv(String prefix, String filterName, String biasName, int k, int in, int out) throws TfjsFormatException {
        return new ConvWeights(prefix, filter(filterName, k, k, in, out), vector(biasName, out));
    }

    /** {@code prefix/depthwise_filter} [3,3,in,1], {@code prefix/pointwise_filter} [1,1,in,out], {@code prefix/bias} [out]. */
    SeparableConvWeights separable(String prefix, int in, int out) throws TfjsFormatException {
        return new SeparableConvWeights(prefix, depthwise(prefix + "/depthwise_filter", 3, in),
                filter(prefix + "/pointwise_filter", 1, 1, in, out), vector(prefix + "/bias", out));
    }

    /** Refuses tensors that were never taken, except those {@code ignorable} accepts. */
    void refuseLeftovers(Predicate<String> ignorable) throws TfjsFormatException {
        List<String> left = new ArrayList<>();
        for (String name : weights.names()) if (!taken.contains(name) && !ignorable.test(name)) left.add(name);
        if (!left.isEmpty()) {
            throw new TfjsFormatException(weights.manifest() + ": " + left.size() + " tensor(s) that " + network
                    + " does not use: " + String.join(", ", left.subList(0, Math.min(8, left.size())))
                    + (left.size() > 8 ? ", ..." : "") + " (is this the right model file?)");
        }
    }
}
