package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;

/**
 * Evaluation in batches of the network's size; the last partial batch is padded (its extra rows
 * are ignored). Logits are read back per batch (one sync per batch) and scored on the host in
 * double precision: loss, accuracy and the confusion matrix.
 */
public final class Evaluator {
    private Evaluator() {}

    /** Receives each sample's softmax probabilities (index in the source's storage order), e.g. to write predictions. */
    @FunctionalInterface
    public interface Scores {
        void sample(int index, float[] probabilities);
    }

    /** Evaluates {@code network} (evaluation mode) over every image of {@code data}. */
    public static Evaluation evaluate(Network network, BatchSource data) {
        try (ClBuffer labels = network.context().buffer((long) network.batch() * Integer.BYTES)) {
            return evaluate(network, data, labels, 0);
        }
    }

    /** As {@link #evaluate(Network, BatchSource)}, handing every sample's probabilities to {@code scores} too. */
    public static Evaluation evaluate(Network network, BatchSource data, Scores scores) {
        try (ClBuffer labels = network.context().buffer((long) network.batch() * Integer.BYTES)) {
            return evaluate(network, data, labels, 0, scores);
        }
    }

    public static Evaluation evaluate(Network network, BatchSource data, ClBuffer labels, long step) {
        return evaluate(network, data, labels, step, null);
    }

    private static Evaluation evaluate(Network network, BatchSource data, ClBuffer labels, long step, Scores scores) {
        int batch = network.batch();
        int classes = network.outputShape().size();
        long[][] confusion = new long[classes][classes];
        float[] logits = new float[batch * classes];
        int[] truth = data.labels();
        double lossSum = 0;
        long hits = 0;
        data.setOrder(null);
        for (int first = 0; first < data.count(); first += batch) {
            int valid = Math.min(batch, data.count() - first);
            data.gather(first, valid, batch, network.input(), labels);
            network.forward(false, step);
            network.logits().read(network.context().queue(), logits);
            for (int r = 0; r < valid; r++) {
                int label = truth[first + r];
                int best = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) max = Math.max(max, logits[r * classes + c]);
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(logits[r * classes + c] - max);
                    if (logits[r * classes + c] > logits[r * classes + best]) best = c;
                }
                lossSum += max + Math.log(sum) - logits[r * classes + label];
                if (scores != null) {
                    float[] p = new float[classes];
                    for (int c = 0; c < classes; c++) p[c] = (float) (Math.exp(logits[r * classes + c] - max) / sum);
                    scores.sample(first + r, p);
                }
                if (best == label) hits++;
                confusion[label][best]++;
            }
        }
        return new Evaluation(lossSum / data.count(), (double) hits / data.count(), confusion);
    }
}
