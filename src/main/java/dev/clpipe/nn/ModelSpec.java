package dev.clpipe.nn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A sequential model: input shape, layers in order and the number of classes the last layer must
 * produce. Construction runs shape inference, so a ModelSpec that exists fits together.
 */
public record ModelSpec(String name, Shape input, List<LayerSpec> layers, List<Shape> shapes) {

    public ModelSpec {
        layers = List.copyOf(layers);
        shapes = List.copyOf(shapes);
    }

    /** Infers every layer's output shape; throws {@link ShapeException} naming the first misfit. */
    public static ModelSpec of(String name, Shape input, List<LayerSpec> layers) {
        if (layers.isEmpty()) throw new ShapeException(0, "model " + name + " has no layers");
        List<Shape> shapes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        shapes.add(input);
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (!names.add(layer.name())) throw new ShapeException(i, "layer name '" + layer.name() + "' is used twice");
            try {
                shapes.add(layer.output(shapes.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ShapeException(i, "layer " + i + " '" + layer.name() + "' (" + layer.describe() + "): " + e.getMessage());
            }
        }
        return new ModelSpec(name, input, layers, shapes);
    }

    /** Input shape of layer {@code i}. */
    public Shape inputOf(int i) {
        return shapes.get(i);
    }

    public Shape outputOf(int i) {
        return shapes.get(i + 1);
    }

    public Shape output() {
        return shapes.get(shapes.size() - 1);
    }

    public long parameterCount() {
        long total = 0;
        for (int i = 0; i < layers.size(); i++) total += layers.get(i).parameters(inputOf(i));
        return total;
    }

    /** Forward FLOPs of one sample (conv and dense multiply-adds, 2 FLOPs each). */
    public double forwardFlops() {
        double total = 0;
        for (int i = 0; i < layers.size(); i++) total += layers.get(i).flops(inputOf(i));
        return total;
    }

    /** A table of layers: output shape, parameter count, forward MFLOP per sample, then the description (it may be long). */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("model %s: input %s%n", name, input));
        out.append(String.format("  %-3s %-12s %-12s %10s %8s  %s%n", "#", "name", "output", "params", "MFLOP", "layer"));
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            out.append(String.format("  %-3d %-12s %-12s %,10d %8.2f  %s%n", i, l.name(), outputOf(i), l.parameters(inputOf(i)),
                    l.flops(inputOf(i)) / 1e6, l.describe()));
        }
        out.append(String.format("  total parameters: %,d; forward %.2f MFLOP per sample%n", parameterCount(), forwardFlops() / 1e6));
        return out.toString();
    }
}
