package dev.clpipe.nn.onnx;

import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphBuilder;
import dev.clpipe.nn.graph.Padding;
import dev.clpipe.nn.graph.Value;
import dev.clpipe.nn.ops.Activation;
import java.util.List;
import java.util.Map;

/**
 * The inference {@link Graph} of a clpipe-trained model: its {@link ModelSpec} with the trained
 * parameters by name as checkpoints hold them ({@code name.weight}, {@code name.bias}, batch-norm
 * running statistics). Batch norm becomes its inference affine, dropout and flatten disappear
 * (the graph's dense node flattens NHWC, as training does), dense weights {@code [units][inputs]}
 * become the graph's {@code [inputs][units]}. This is how a zoo net reaches {@link OnnxExporter}.
 */
public final class TrainedGraphs {
    private final Map<String, float[]> params;
    private final GraphBuilder g = Graph.builder();
    /** The map a Flatten layer flattened, until the dense layer that reads it. */
    private boolean flattenedMap;

    private TrainedGraphs(Map<String, float[]> params) {
        this.params = params;
    }

    public static Graph of(ModelSpec spec, Map<String, float[]> params) {
        TrainedGraphs t = new TrainedGraphs(params);
        Shape in = spec.input();
        Value x = t.layers(spec.layers(), t.g.input(in.height(), in.width(), in.channels()));
        return t.g.build(x);
    }

    private Value layers(List<LayerSpec> layers, Value x) {
        for (LayerSpec l : layers) x = layer(l, x);
        return x;
    }

    private Value layer(LayerSpec l, Value x) {
        Shape in = x.dims();
        if (l instanceof LayerSpec.Conv c) {
            int k = c.kernel();
            float[] hwio = param(c.name() + ".weight", (long) k * k * in.channels() * c.filters());
            return g.conv(c.name(), x, hwio, param(c.name() + ".bias", c.filters()), k, k, c.filters(), c.stride(), Padding.explicit(c.pad()), 1);
        }
        if (l instanceof LayerSpec.Pool p) {
            if (!p.max() && p.pad() > 0) throw new IllegalArgumentException(p.name() + ": padded average pooling is not exported");
            return p.max() ? g.maxPool(p.name(), x, p.size(), p.stride(), Padding.explicit(p.pad()))
                    : g.avgPool(p.name(), x, p.size(), p.stride(), Padding.explicit(p.pad()));
        }
        if (l instanceof LayerSpec.Act a) {
            if (a.kind() == Activation.Kind.HARD_SIGMOID || a.kind() == Activation.Kind.HARD_SWISH) {
                throw new IllegalArgumentException(a.name() + ": " + a.kind() + " is not a training layer");
            }
            return g.activation(a.name(), x, a.kind(), a.kind() == Activation.Kind.LEAKY_RELU ? Activation.PYTORCH_LEAKY_SLOPE : 0);
        }
        if (l instanceof LayerSpec.BatchNorm bn) {
            if (flattenedMap) throw new IllegalArgumentException(bn.name() + ": batch norm between a flatten and a dense layer is not exported");
            int c = in.channels();
            float[] gamma = param(bn.name() + ".weight", c), beta = param(bn.name() + ".bias", c);
            float[] mean = param(bn.name() + ".running_mean", c), var = param(bn.name() + ".running_var", c);
            float[] mul = new float[c];
            for (int i = 0; i < c; i++) mul[i] = (float) (gamma[i] / Math.sqrt((double) var[i] + bn.eps()));
            return g.affine(bn.name(), x, mean, mul, beta);
        }
        if (l instanceof LayerSpec.Flatten) {
            flattenedMap = in.pixels() > 1;
            return x;
        }
        if (l instanceof LayerSpec.Dropout) return x;
        if (l instanceof LayerSpec.Dense d) {
            flattenedMap = false;
            int inputs = in.size(), units = d.units();
            float[] w = param(d.name() + ".weight", (long) units * inputs);
            float[] io = new float[w.length];
            for (int u = 0; u < units; u++) for (int i = 0; i < inputs; i++) io[i * units + u] = w[u * inputs + i];
            return g.dense(d.name(), x, io, param(d.name() + ".bias", units), units);
        }
        if (l instanceof LayerSpec.Residual r) return g.add(r.name(), x, layers(r.body(), x));
        if (l instanceof LayerSpec.Concat c) {
            Value[] outs = new Value[c.branches().size()];
            for (int i = 0; i < outs.length; i++) outs[i] = layers(c.branches().get(i), x);
            return g.concat(c.name(), outs);
        }
        throw new IllegalArgumentException(l.name() + ": layer " + l.describe() + " has no graph form");
    }

    private float[] param(String name, long size) {
        float[] v = params.get(name);
        if (v == null) throw new IllegalArgumentException("no parameter '" + name + "' to export");
        if (v.length != size) throw new IllegalArgumentException("parameter '" + name + "' has " + v.length + " values, expected " + size);
        return v;
    }
}
