package dev.clpipe.style;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ops.Add;
import dev.clpipe.nn.ops.StyleOps;
import dev.clpipe.tensor.Layout;
import dev.clpipe.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A frozen feature network as a plain chain of {@link FeatureStep}s for one image size, fed with
 * RGB pixels 0..255 (NHWC, batch 1) and normalised on the device as the network expects
 * ({@code x = pixel * scale + shift[c]}). Forward keeps every step's output so that the
 * activations of named layers can be read; backward takes gradients at any set of named layers
 * and returns the gradient with respect to the pixels.
 */
public final class FeatureChain implements AutoCloseable {
    private final String network;
    private final StyleOps ops;
    private final Add add;
    private final int height, width;
    private final float scale;
    private final float[] shift;
    private final List<FeatureStep> steps;
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final Tensor input;
    private final Tensor pixelGrad;
    private final List<Tensor> outputs = new ArrayList<>();

    FeatureChain(String network, StyleOps ops, int height, int width, float scale, float[] shift, List<FeatureStep> steps) {
        this.network = network;
        this.ops = ops;
        this.add = new Add(ops.context());
        this.height = height;
        this.width = width;
        this.scale = scale;
        this.shift = shift.clone();
        this.steps = List.copyOf(steps);
        for (int i = 0; i < steps.size(); i++) index.put(steps.get(i).name(), i);
        this.input = Tensor.empty(ops.context(), Layout.NHWC, 1, height, width, 3);
        this.pixelGrad = input.emptyLike();
    }

    public String network() {
        return network;
    }

    public ClContext context() {
        return ops.context();
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Layer names in order, e.g. conv0/conv, conv0, conv1/dw, ... */
    public List<String> layers() {
        return List.copyOf(index.keySet());
    }

    /** Position of a layer, or an exception listing the names there are. */
    public int indexOf(String layer) {
        Integer i = index.get(layer);
        if (i == null) throw new IllegalArgumentException("network " + network + " has no layer '" + layer + "' (layers: " + String.join(", ", index.keySet()) + ")");
        return i;
    }

    /** {height, width, channels} of a layer's output. */
    public int[] shapeOf(String layer) {
        return steps.get(indexOf(layer)).outShape();
    }

    /** Runs the steps 0..last on the pixels (1 x H x W x 3, 0..255). */
    public void forward(Tensor pixels, int last) {
        ops.pixelsToInput(pixels.buffer(), input.buffer(), scale, shift, input.size());
        outputs.clear();
        Tensor x = input;
        for (int i = 0; i <= last; i++) {
            x = steps.get(i).forward(x);
            outputs.add(x);
        }
    }

    /** The output of a layer from the last forward (owned by the chain). */
    public Tensor output(String layer) {
        int i = indexOf(layer);
        if (i >= outputs.size()) throw new IllegalStateException("layer " + layer + " was not computed by the last forward");
        return outputs.get(i);
    }

    /**
     * d cost / d pixels from d cost / d (layer outputs) at the given layers, which must have been
     * computed by the last forward. The gradient tensors are read, never changed.
     */
    public Tensor backward(Map<String, Tensor> gradients) {
        int last = -1;
        for (String layer : gradients.keySet()) last = Math.max(last, indexOf(layer));
        if (last >= outputs.size()) throw new IllegalStateException("backward from " + steps.get(last).name() + " needs a forward that reached it");
        Tensor dy = null;
        for (int i = last; i >= 0; i--) {
            Tensor tap = gradients.get(steps.get(i).name());
            if (dy == null) dy = tap;
            else if (tap != null) add.accumulate(dy, tap); // dy is the step's own dx buffer: safe to add into
            dy = steps.get(i).backward(dy);
        }
        ops.inputToPixelsGrad(dy.buffer(), pixelGrad.buffer(), scale, pixelGrad.size());
        return pixelGrad;
    }

    @Override
    public void close() {
        steps.forEach(FeatureStep::close);
        add.close();
        input.close();
        pixelGrad.close();
    }
}
