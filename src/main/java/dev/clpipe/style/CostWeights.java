package dev.clpipe.style;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * J(G) = alpha * J_content(C, G) + beta * sum_l lambda_l * J_style^l(S, G), with (seeds)
 * J_content = 1/2 ||a_C - a_G||^2 at {@code contentLayer} and
 * J_style^l = (1 / (2 nH nW nC))^2 * sum_kk' (G^S_kk' - G^G_kk')^2.
 */
public record CostWeights(String contentLayer, List<StyleLayer> styleLayers, double alpha, double beta) {
    public CostWeights {
        if (contentLayer == null || contentLayer.isBlank()) throw new IllegalArgumentException("content layer must be named");
        styleLayers = List.copyOf(styleLayers);
        if (styleLayers.isEmpty()) throw new IllegalArgumentException("at least one style layer is needed");
        if (!(alpha >= 0) || !(beta >= 0)) throw new IllegalArgumentException("alpha and beta must be >= 0, got " + alpha + ", " + beta);
    }

    /** The content layer and every style layer, once each: what the feature network taps. */
    public Set<String> layers() {
        Set<String> layers = new LinkedHashSet<>();
        layers.add(contentLayer);
        for (StyleLayer s : styleLayers) layers.add(s.layer());
        return layers;
    }
}
