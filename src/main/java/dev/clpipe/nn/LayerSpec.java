package dev.clpipe.nn;

import dev.clpipe.nn.ops.Activation;
import java.util.List;

/**
 * What one layer is, independent of any device: its kind and hyper-parameters. {@link #output}
 * infers the output shape from the input shape or explains why they do not fit.
 */
public sealed interface LayerSpec {
    /** Unique name inside the model (parameter names are {@code name.weight}, {@code name.bias}). */
    String name();

    /** One-line description for summaries and errors, e.g. {@code conv 5x5 -> 6, pad 2}. */
    String describe();

    /** Output shape for {@code in}; throws IllegalArgumentException naming both when they do not fit. */
    Shape output(Shape in);

    /** Trainable parameter count for input {@code in}. */
    default long parameters(Shape in) {
        return 0;
    }

    /** Multiply-add FLOPs (2 per product) of one sample's forward pass through conv and dense layers. */
    default double flops(Shape in) {
        return 0;
    }

    record Conv(String name, int filters, int kernel, int stride, int pad) implements LayerSpec {
        public Conv {
            positive("filters", filters);
            positive("kernel", kernel);
            positive("stride", stride);
            if (pad < 0) throw new IllegalArgumentException("pad must be >= 0, got " + pad);
        }

        public String describe() {
            return "conv " + kernel + "x" + kernel + " -> " + filters + (stride > 1 ? ", stride " + stride : "") + (pad > 0 ? ", pad " + pad : "");
        }

        public Shape output(Shape in) {
            int h = (in.height() + 2 * pad - kernel) / stride + 1, w = (in.width() + 2 * pad - kernel) / stride + 1;
            if (in.height() + 2 * pad < kernel || in.width() + 2 * pad < kernel) {
                throw new IllegalArgumentException("a " + kernel + "x" + kernel + " kernel" + (pad > 0 ? " with pad " + pad : "")
                        + " does not fit the " + in.height() + "x" + in.width() + " map of input " + in);
            }
            return new Shape(h, w, filters);
        }

        public long parameters(Shape in) {
            return (long) kernel * kernel * in.channels() * filters + filters;
        }

        public double flops(Shape in) {
            return 2.0 * output(in).size() * kernel * kernel * in.channels();
        }
    }

    record Pool(String name, boolean max, int size, int stride, int pad) implements LayerSpec {
        public Pool {
            positive("size", size);
            positive("stride", stride);
            if (pad < 0 || pad >= size) throw new IllegalArgumentException("pool pad must be within [0, size), got " + pad);
        }

        public String describe() {
            return (max ? "maxpool " : "avgpool ") + size + "x" + size + (stride != size ? ", stride " + stride : "") + (pad > 0 ? ", pad " + pad : "");
        }

        public Shape output(Shape in) {
            if (in.height() + 2 * pad < size || in.width() + 2 * pad < size) {
                throw new IllegalArgumentException("a " + size + "x" + size + " pool window does not fit the " + in.height() + "x" + in.width() + " map of input " + in);
            }
            return new Shape((in.height() + 2 * pad - size) / stride + 1, (in.width() + 2 * pad - size) / stride + 1, in.channels());
        }
    }

    /** Fully connected; a spatial input is flattened (HWC order) first. */
    record Dense(String name, int units) implements LayerSpec {
        public Dense {
            positive("units", units);
        }

        public String describe() {
            return "dense -> " + units;
        }

        public Shape output(Shape in) {
            return Shape.flat(units);
        }

        public long parameters(Shape in) {
            return (long) in.size() * units + units;
        }

        public double flops(Shape in) {
            return 2.0 * in.size() * units;
        }
    }

    record Act(String name, Activation.Kind kind) implements LayerSpec {
        public String describe() {
            return kind.name().toLowerCase().replace('_', '-');
        }

        public Shape output(Shape in) {
            return in;
        }
    }

    record Flatten(String name) implements LayerSpec {
        public String describe() {
            return "flatten";
        }

        public Shape output(Shape in) {
            return Shape.flat(in.size());
        }
    }

    record Dropout(String name, float p) implements LayerSpec {
        public Dropout {
            if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout p must be within [0, 1), got " + p);
        }

        public String describe() {
            return "dropout " + p;
        }

        public Shape output(Shape in) {
            return in;
        }
    }

    /** Batch normalisation over channels (PyTorch BatchNorm2d semantics; BatchNorm1d for flat inputs). */
    record BatchNorm(String name, float eps, float momentum) implements LayerSpec {
        public String describe() {
            return "batchnorm";
        }

        public Shape output(Shape in) {
            return in;
        }

        public long parameters(Shape in) {
            return 2L * in.channels();
        }
    }

    /**
     * Residual block y = x + body(x) (ResNet): the body is a sequence of layers that must keep the
     * input shape. Body layers are named {@code block.layer}.
     */
    record Residual(String name, List<LayerSpec> body) implements LayerSpec {
        public Residual {
            body = List.copyOf(body);
            if (body.isEmpty()) throw new IllegalArgumentException("a residual block needs at least one layer");
            for (LayerSpec l : body) {
                if (l instanceof Flatten || l instanceof Residual) throw new IllegalArgumentException("a residual body may not hold " + l.describe());
            }
        }

        public String describe() {
            StringBuilder b = new StringBuilder("residual [");
            for (int i = 0; i < body.size(); i++) b.append(i > 0 ? ", " : "").append(body.get(i).describe());
            return b.append("]").toString();
        }

        public Shape output(Shape in) {
            Shape s = in;
            for (LayerSpec l : body) {
                try {
                    s = l.output(s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("in '" + l.name() + "': " + e.getMessage());
                }
            }
            if (!s.equals(in)) throw new IllegalArgumentException("the body maps " + in + " to " + s + "; a residual body must keep the shape");
            return in;
        }

        public long parameters(Shape in) {
            return parametersAlong(in);
        }

        public double flops(Shape in) {
            return flopsAlong(body, in);
        }

        /** Parameters of the body's layers applied in order from {@code in} (shared with concat branches). */
        long parametersAlong(Shape in) {
            long total = 0;
            Shape s = in;
            for (LayerSpec l : body) {
                total += l.parameters(s);
                s = l.output(s);
            }
            return total;
        }
    }

    /**
     * Inception-style block: every branch (a sequence of layers) reads the same input; their
     * outputs, which must agree on height and width, are concatenated along channels in order.
     * Branch layers are named {@code block.layer}.
     */
    record Concat(String name, List<List<LayerSpec>> branches) implements LayerSpec {
        public Concat {
            branches = branches.stream().map(List::copyOf).toList();
            if (branches.size() < 2) throw new IllegalArgumentException("a concat block needs at least two branches");
            for (List<LayerSpec> b : branches) {
                if (b.isEmpty()) throw new IllegalArgumentException("a concat branch needs at least one layer");
                for (LayerSpec l : b) {
                    if (l instanceof Flatten || l instanceof Concat) throw new IllegalArgumentException("a concat branch may not hold " + l.describe());
                }
            }
        }

        public String describe() {
            StringBuilder b = new StringBuilder("concat [");
            for (int i = 0; i < branches.size(); i++) {
                b.append(i > 0 ? " | " : "");
                for (int j = 0; j < branches.get(i).size(); j++) b.append(j > 0 ? ", " : "").append(branches.get(i).get(j).describe());
            }
            return b.append("]").toString();
        }

        /** Output shape of branch {@code i} for input {@code in}. */
        public Shape branchOutput(int i, Shape in) {
            Shape s = in;
            for (LayerSpec l : branches.get(i)) {
                try {
                    s = l.output(s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("in '" + l.name() + "': " + e.getMessage());
                }
            }
            return s;
        }

        public Shape output(Shape in) {
            Shape first = branchOutput(0, in);
            int channels = 0;
            for (int i = 0; i < branches.size(); i++) {
                Shape s = branchOutput(i, in);
                if (s.height() != first.height() || s.width() != first.width()) {
                    throw new IllegalArgumentException("branch " + (i + 1) + " outputs " + s + " but branch 1 outputs " + first
                            + "; concatenated branches must agree on height and width");
                }
                channels += s.channels();
            }
            return new Shape(first.height(), first.width(), channels);
        }

        public long parameters(Shape in) {
            long total = 0;
            for (List<LayerSpec> b : branches) total += new Residual(name, b).parametersAlong(in);
            return total;
        }

        public double flops(Shape in) {
            double total = 0;
            for (List<LayerSpec> b : branches) total += flopsAlong(b, in);
            return total;
        }
    }

    /** FLOPs of layers applied in order from {@code in}. */
    private static double flopsAlong(List<LayerSpec> layers, Shape in) {
        double total = 0;
        Shape s = in;
        for (LayerSpec l : layers) {
            total += l.flops(s);
            s = l.output(s);
        }
        return total;
    }

    private static void positive(String what, int value) {
        if (value < 1) throw new IllegalArgumentException(what + " must be >= 1, got " + value);
    }
}
