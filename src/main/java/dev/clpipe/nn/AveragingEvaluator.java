package dev.clpipe.nn;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.nn.ops.ShiftMirror;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluation that averages softmax probabilities over test-time views of every image and over
 * ensemble members (weights loaded into the same network one after the other). Per image and
 * class it keeps log(sum of probabilities) (log-sum-exp, double precision); the prediction is the
 * class of the largest mean probability and the loss is -log(mean probability of the label).
 * With one member and the identity view this is exactly {@link Evaluator}'s arithmetic.
 */
public final class AveragingEvaluator {
    /** Puts one ensemble member's weights into the network. */
    @FunctionalInterface
    public interface Member {
        void load(Network net) throws IOException;
    }

    private AveragingEvaluator() {}

    public static Evaluation evaluate(Network net, BatchSource data, List<View> views, List<Member> members) throws IOException {
        if (views.isEmpty() || members.isEmpty()) throw new IllegalArgumentException("need at least one view and one ensemble member");
        int batch = net.batch();
        int classes = net.outputShape().size();
        int count = data.count();
        double[] logSum = new double[count * classes];
        Arrays.fill(logSum, Double.NEGATIVE_INFINITY);
        float[] logits = new float[batch * classes];
        Shape shape = net.inputShape();
        try (ClBuffer labels = net.context().buffer((long) batch * Integer.BYTES);
                ClBuffer staged = net.context().buffer((long) batch * shape.size() * Float.BYTES);
                ShiftMirror shiftMirror = new ShiftMirror(net.context())) {
            data.setOrder(null);
            for (Member member : members) {
                member.load(net);
                for (int first = 0; first < count; first += batch) {
                    int valid = Math.min(batch, count - first);
                    data.gather(first, valid, batch, staged, labels);
                    for (View v : views) {
                        shiftMirror.apply(staged, net.input(), batch, shape.height(), shape.width(), shape.channels(), v.dx(), v.dy(), v.mirror()); // the identity view too: one path to test
                        net.forward(false, 0);
                        net.logits().read(net.context().queue(), logits);
                        for (int r = 0; r < valid; r++) accumulate(logits, r * classes, classes, logSum, (first + r) * classes);
                    }
                }
            }
        }
        return score(logSum, data.labels(), classes, Math.log((double) views.size() * members.size()));
    }

    /** logSum[c] = log(exp(logSum[c]) + softmax(logits)[c]) for one row. */
    static void accumulate(float[] logits, int at, int classes, double[] logSum, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) max = Math.max(max, logits[at + c]);
        double sum = 0;
        for (int c = 0; c < classes; c++) sum += Math.exp(logits[at + c] - max);
        double logZ = max + Math.log(sum);
        for (int c = 0; c < classes; c++) {
            double lp = logits[at + c] - logZ;
            double acc = logSum[to + c];
            if (acc == Double.NEGATIVE_INFINITY) {
                logSum[to + c] = lp;
            } else {
                double hi = Math.max(acc, lp), lo = Math.min(acc, lp);
                logSum[to + c] = hi + Math.log1p(Math.exp(lo - hi));
            }
        }
    }

    private static Evaluation score(double[] logSum, int[] truth, int classes, double logViews) {
        long[][] confusion = new long[classes][classes];
        double lossSum = 0;
        long hits = 0;
        for (int i = 0; i < truth.length; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (logSum[i * classes + c] > logSum[i * classes + best]) best = c;
            lossSum += -(logSum[i * classes + truth[i]] - logViews);
            if (best == truth[i]) hits++;
            confusion[truth[i]][best]++;
        }
        return new Evaluation(lossSum / truth.length, (double) hits / truth.length, confusion);
    }
}
