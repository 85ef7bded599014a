package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Layers applied in order between an input and an output buffer the caller passes per call,
 * with the intermediate activations and gradients allocated once (a residual body, a concat branch).
 * No layer may pass its input through (flatten), so every intermediate has its own buffer.
 */
final class Chain implements AutoCloseable {
    private final List<Layer> layers = new ArrayList<>();
    private final List<ClBuffer> owned = new ArrayList<>();
    private final ClBuffer[] activations;
    private final ClBuffer[] gradients;
    private final ClBuffer output;
    private final ClBuffer inputGradient;

    /** {@code factory} builds layer i from its spec, input and output shapes. */
    Chain(ClContext context, List<LayerSpec> specs, Shape in, int batch, Factory factory) {
        int n = specs.size();
        activations = new ClBuffer[n + 1];
        gradients = new ClBuffer[n + 1];
        Function<Shape, ClBuffer> allocate = s -> {
            ClBuffer b = context.buffer((long) batch * s.size() * Float.BYTES);
            owned.add(b);
            return b;
        };
        Shape s = in;
        for (int i = 0; i < n; i++) {
            Shape out = specs.get(i).output(s);
            layers.add(factory.create(i, specs.get(i), s, out));
            activations[i + 1] = allocate.apply(out);
            gradients[i] = allocate.apply(s);
            s = out;
        }
        output = activations[n];
        inputGradient = gradients[0];
    }

    interface Factory {
        Layer create(int index, LayerSpec spec, Shape in, Shape out);
    }

    List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (Layer l : layers) all.addAll(l.params());
        return all;
    }

    /** Runs every layer from {@code x}; returns the buffer holding the last output. */
    ClBuffer forward(ClBuffer x, boolean training, long step) {
        activations[0] = x;
        for (int i = 0; i < layers.size(); i++) layers.get(i).forward(activations[i], activations[i + 1], training, step);
        return output;
    }

    /** Backward from {@code dy} (gradient of the last output); returns the buffer holding dL/dx. */
    ClBuffer backward(ClBuffer x, ClBuffer dy, long step) {
        activations[0] = x;
        gradients[layers.size()] = dy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            layers.get(i).backward(activations[i], activations[i + 1], gradients[i + 1], gradients[i], step);
        }
        return inputGradient;
    }

    @Override
    public void close() {
        layers.forEach(Layer::close);
        owned.forEach(ClBuffer::close);
    }
}
