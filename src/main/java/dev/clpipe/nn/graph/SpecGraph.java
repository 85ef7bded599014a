package dev.clpipe.nn.graph;

import dev.clpipe.nn.LayerSpec;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.Activation;
import dev.clpipe.nn.ops.Pool2d;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Compiles a zoo model ({@link ModelSpec}, the model YAML's form) with its parameters into a
 * {@link Graph}: one node per layer, named as the layer (a residual block's sum and a concat
 * block's concatenation carry the block's name, their layers {@code block.layer} as in the
 * spec). Parameters are looked up by the checkpoint names ({@code name.weight}, {@code name.bias},
 * {@code name.running_mean}, {@code name.running_var}); dense weights, stored {@code [out, in]}
 * as in PyTorch, become the graph's {@code [in, out]}.
 */
public final class SpecGraph {
    private final Map<String, float[]> params;
    private final GraphBuilder g = Graph.builder();

    private SpecGraph(Map<String, float[]> params) {
        this.params = params;
    }

    /** The graph of {@code spec} with {@code params}; throws IllegalArgumentException naming a missing or misshapen parameter. */
    public static Graph compile(ModelSpec spec, Map<String, float[]> params) {
        SpecGraph c = new SpecGraph(params);
        Shape in = spec.input();
        Value x = c.g.input(in.height(), in.width(), in.channels());
        return c.g.build(c.layers(spec.layers(), x, IntUnaryOperator.identity()));
    }

    /** The graph of {@code spec} with every parameter zero (a training plan's {@code initialise(seed)} fills them). */
    public static Graph untrained(ModelSpec spec) {
        return compile(spec, null);
    }

    /**
     * Random stream of body layer {@code layer} of the block drawing stream {@code block}: distinct
     * from every top-level index, and what the training network has always used, so dropout masks
     * (and resumed runs) stay as they were.
     */
    public static int bodyStream(int block, int layer) {
        return (block + 1) * 256 + layer;
    }

    /** {@code streamOf}: the dropout stream of the j-th layer of this list. */
    private Value layers(List<LayerSpec> layers, Value x, IntUnaryOperator streamOf) {
        for (int j = 0; j < layers.size(); j++) x = layer(layers.get(j), x, streamOf.applyAsInt(j));
        return x;
    }

    private Value layer(LayerSpec l, Value x, int stream) {
        Shape in = x.dims();
        String n = l.name();
        if (l instanceof LayerSpec.Conv c) {
            return g.conv(n, x, param(n + ".weight", c.kernel() * c.kernel() * in.channels() * c.filters()), param(n + ".bias", c.filters()),
                    c.kernel(), c.kernel(), c.filters(), c.stride(),
                    Padding.explicit(c.pad()), 1);
        }
        if (l instanceof LayerSpec.Dense d) {
            return g.dense(n, x, transpose(param(n + ".weight", d.units() * in.size()), d.units(), in.size()), param(n + ".bias", d.units()), d.units());
        }
        if (l instanceof LayerSpec.Pool p) {
            Pool2d.Mode mode = p.max() ? Pool2d.Mode.MAX : Pool2d.Mode.AVERAGE;
            return g.pool(n, x, mode, p.size(), p.size(), p.stride(), p.stride(), Padding.explicit(p.pad()), true);
        }
        if (l instanceof LayerSpec.Act a) return g.activation(n, x, a.kind(), Activation.PYTORCH_LEAKY_SLOPE); // as the training layer
        if (l instanceof LayerSpec.Flatten) return g.flatten(n, x);
        if (l instanceof LayerSpec.Dropout d) return g.dropout(n, x, d.p(), stream);
        if (l instanceof LayerSpec.BatchNorm b) {
            int c = in.channels();
            return g.batchNorm(n, x, param(n + ".weight", c), param(n + ".bias", c), param(n + ".running_mean", c), param(n + ".running_var", c),
                    b.eps(), b.momentum());
        }
        if (l instanceof LayerSpec.Residual r) return g.add(n, x, layers(r.body(), x, j -> bodyStream(stream, j)));
        if (l instanceof LayerSpec.Concat c) {
            Value[] branches = new Value[c.branches().size()];
            for (int b = 0; b < branches.length; b++) {
                int branch = b;
                branches[b] = layers(c.branches().get(b), x, j -> bodyStream(stream, 32 * branch + j));
            }
            return g.concat(n, branches);
        }
        throw new IllegalArgumentException("no graph node for layer " + l);
    }

    /** Parameter {@code name} of {@code size} floats (zeros when compiling an untrained graph). */
    private float[] param(String name, int size) {
        if (params == null) return new float[size];
        float[] p = params.get(name);
        if (p == null) throw new IllegalArgumentException("parameter " + name + " is missing");
        if (p.length != size) throw new IllegalArgumentException("parameter " + name + " has " + p.length + " values, expected " + size);
        return p;
    }

    /** {@code [rows][cols]} row-major as {@code [cols][rows]}. */
    static float[] transpose(float[] a, int rows, int cols) {
        if (a.length != (long) rows * cols) throw new IllegalArgumentException(a.length + " dense weights, expected [" + rows + "," + cols + "]");
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        return t;
    }
}
