package dev.clpipe.style;

import dev.clpipe.nn.ops.StyleOps;
import dev.clpipe.tensor.Layout;
import dev.clpipe.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The neural-style cost of {@link CostWeights} and its gradient with respect to the generated
 * pixels, all on the device: the content activation and the style Gram matrices are computed once
 * from C and S; each {@link #evaluate} runs G forward to the deepest used layer, the cost
 * reductions and Gram gradients, and the chain backward.
 */
final class ChainStyleCost implements AutoCloseable {
    /** One evaluation: the weighted total, its two parts and each style layer's unweighted J_style^l. */
    

    private final FeatureChain chain;
    private final StyleOps ops;
    private final CostWeights weights;
    private final int last;
    private final Tensor contentTarget;
    private final List<Tensor> styleTargets = new ArrayList<>();
    private final List<Tensor> grams = new ArrayList<>();
    private final List<Tensor> gramDiffs = new ArrayList<>();
    private final Map<String, Tensor> gradients = new LinkedHashMap<>();

    ChainStyleCost(FeatureChain chain, StyleOps ops, CostWeights weights, Tensor contentPixels, Tensor stylePixels) {
        this.chain = chain;
        this.ops = ops;
        this.weights = weights;
        int deepest = chain.indexOf(weights.contentLayer());
        for (StyleLayer s : weights.styleLayers()) deepest = Math.max(deepest, chain.indexOf(s.layer()));
        this.last = deepest;
        chain.forward(contentPixels, last);
        this.contentTarget = chain.output(weights.contentLayer()).copy();
        chain.forward(stylePixels, last);
        for (StyleLayer s : weights.styleLayers()) {
            int[] shape = chain.shapeOf(s.layer());
            int c = shape[2];
            Tensor target = Tensor.empty(ops.context(), c, c);
            ops.gram(chain.output(s.layer()).buffer(), target.buffer(), shape[0] * shape[1], c);
            styleTargets.add(target);
            grams.add(Tensor.empty(ops.context(), c, c));
            gramDiffs.add(Tensor.empty(ops.context(), c, c));
        }
        gradients.put(weights.contentLayer(), contentTarget.emptyLike());
        for (StyleLayer s : weights.styleLayers()) {
            int[] shape = chain.shapeOf(s.layer());
            gradients.computeIfAbsent(s.layer(), k -> Tensor.empty(ops.context(), Layout.NHWC, 1, shape[0], shape[1], shape[2]));
        }
    }

    public FeatureChain chain() {
        return chain;
    }

    /** The cost at {@code pixels} (1 x H x W x 3, 0..255); fills {@code pixelGradient} with dJ/dG. */
    StyleCost.Value evaluate(Tensor pixels, Tensor pixelGradient) {
        chain.forward(pixels, last);
        Tensor a = chain.output(weights.contentLayer());
        double content = 0.5 * ops.diffSquares(a.buffer(), contentTarget.buffer(), gradients.get(weights.contentLayer()).buffer(),
                (float) weights.alpha(), a.size());
        double style = 0;
        Map<String, Double> perLayer = new LinkedHashMap<>();
        for (int i = 0; i < weights.styleLayers().size(); i++) {
            StyleLayer s = weights.styleLayers().get(i);
            int[] shape = chain.shapeOf(s.layer());
            int p = shape[0] * shape[1], c = shape[2];
            Tensor f = chain.output(s.layer());
            ops.gram(f.buffer(), grams.get(i).buffer(), p, c);
            double norm = 2.0 * p * c;
            double layerCost = ops.diffSquares(grams.get(i).buffer(), styleTargets.get(i).buffer(), gramDiffs.get(i).buffer(), 1f, c * c) / (norm * norm);
            perLayer.put(s.layer(), layerCost);
            style += s.weight() * layerCost;
            // d(beta * lambda * J^l)/dF = beta * lambda * 4 / (2 nH nW nC)^2 * F (G_G - G_S)
            boolean shared = s.layer().equals(weights.contentLayer()) || earlierStyleLayer(i);
            ops.gramBackward(f.buffer(), gramDiffs.get(i).buffer(), gradients.get(s.layer()).buffer(), p, c,
                    (float) (weights.beta() * s.weight() * 4 / (norm * norm)), shared);
        }
        Tensor grad = chain.backward(gradients);
        pixelGradient.buffer().copyFrom(ops.context().queue(), grad.buffer());
        return new StyleCost.Value(weights.alpha() * content + weights.beta() * style, content, style, perLayer);
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
        gradients.values().forEach(Tensor::close);
    }
}
