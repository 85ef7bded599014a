package dev.clpipe.style;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.ops.StyleOps;
import dev.clpipe.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The neural-style cost of {@link CostWeights} and its gradient with respect to the generated
 * pixels, all on the device: the content activation and the style Gram matrices are computed once
 * from C and S; each {@link #evaluate} runs G forward to the deepest used layer, the cost
 * reductions and Gram gradients into the network's tapped gradients, and the network backward.
 */
public final class StyleCost implements AutoCloseable {
    /** One evaluation: the weighted total, its two parts and each style layer's unweighted J_style^l. */
    public record Value(double total, double content, double style, Map<String, Double> styleLayers) {}

    private final FeatureNetwork net;
    private final StyleOps ops;
    private final CostWeights weights;
    private final ClBuffer contentTarget;
    private final List<Tensor> styleTargets = new ArrayList<>();
    private final List<Tensor> grams = new ArrayList<>();
    private final List<Tensor> gramDiffs = new ArrayList<>();

    /** {@code net} must use {@link CostWeights#layers()}. */
    public StyleCost(FeatureNetwork net, StyleOps ops, CostWeights weights, Tensor contentPixels, Tensor stylePixels) {
        this.net = net;
        this.ops = ops;
        this.weights = weights;
        net.forward(contentPixels);
        Shape content = net.shapeOf(weights.contentLayer());
        this.contentTarget = ops.context().buffer((long) content.size() * Float.BYTES);
        contentTarget.copyFrom(ops.context().queue(), net.output(weights.contentLayer()));
        net.forward(stylePixels);
        for (StyleLayer s : weights.styleLayers()) {
            Shape shape = net.shapeOf(s.layer());
            int c = shape.channels();
            Tensor target = Tensor.empty(ops.context(), c, c);
            ops.gram(net.output(s.layer()), target.buffer(), shape.pixels(), c);
            styleTargets.add(target);
            grams.add(Tensor.empty(ops.context(), c, c));
            gramDiffs.add(Tensor.empty(ops.context(), c, c));
        }
    }

    /** The cost at {@code pixels} (1 x H x W x 3, 0..255); fills {@code pixelGradient} with dJ/dG. */
    public Value evaluate(Tensor pixels, Tensor pixelGradient) {
        net.forward(pixels);
        double content = 0.5 * ops.diffSquares(net.output(weights.contentLayer()), contentTarget, net.gradient(weights.contentLayer()),
                (float) weights.alpha(), net.shapeOf(weights.contentLayer()).size());
        double style = 0;
        Map<String, Double> perLayer = new LinkedHashMap<>();
        for (int i = 0; i < weights.styleLayers().size(); i++) {
            StyleLayer s = weights.styleLayers().get(i);
            Shape shape = net.shapeOf(s.layer());
            int p = shape.pixels(), c = shape.channels();
            ClBuffer f = net.output(s.layer());
            ops.gram(f, grams.get(i).buffer(), p, c);
            double norm = 2.0 * p * c;
            double layerCost = ops.diffSquares(grams.get(i).buffer(), styleTargets.get(i).buffer(), gramDiffs.get(i).buffer(), 1f, c * c) / (norm * norm);
            perLayer.put(s.layer(), layerCost);
            style += s.weight() * layerCost;
            // d(beta * lambda * J^l)/dF = beta * lambda * 4 / (2 nH nW nC)^2 * F (G_G - G_S)
            boolean shared = s.layer().equals(weights.contentLayer()) || earlierStyleLayer(i);
            ops.gramBackward(f, gramDiffs.get(i).buffer(), net.gradient(s.layer()), p, c,
                    (float) (weights.beta() * s.weight() * 4 / (norm * norm)), shared);
        }
        Tensor grad = net.backward();
        pixelGradient.buffer().copyFrom(ops.context().queue(), grad.buffer());
        return new Value(weights.alpha() * content + weights.beta() * style, content, style, perLayer);
    }

    /** True when style layer i repeats an earlier one (its gradient then adds to the same buffer). */
    private boolean earlierStyleLayer(int i) {
        for (int j = 0; j < i; j++) if (weights.styleLayers().get(j).layer().equals(weights.styleLayers().get(i).layer())) return true;
        return false;
    }

    @Override
    public void close() {
        contentTarget.close();
        styleTargets.forEach(Tensor::close);
        grams.forEach(Tensor::close);
        gramDiffs.forEach(Tensor::close);
    }
}
