package dev.clpipe.face.verify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One-shot quality of an embedding on identities it never saw in training. The verification
 * threshold is chosen where accuracy is best on pairs of a validation set (held-out images of
 * the training identities), then applied unchanged to pairs of the unseen identities: accuracy
 * there, with ROC AUC and equal error rate (threshold-free), the accuracy an oracle threshold
 * would reach on the unseen pairs (for reference), and 1-shot k-way identification accuracy.
 */
public record OneShotReport(double threshold, double validationAccuracy, double accuracy, double auc, double eer,
                            double oracleAccuracy, int pairs, OneShotIdentification.Result identification, RocCurve roc) {

    /** Embeddings are row-major [count][dim]; {@code pairs} same and as many different pairs per set. */
    public static OneShotReport evaluate(float[] validation, int[] validationLabels, float[] unseen, int[] unseenLabels,
                                         int dim, int pairs, int trials, long seed) {
        RocCurve val = VerificationPairs.sample(validation, dim, validationLabels, pairs, seed).roc();
        double t = val.bestThreshold();
        // another stream for the unseen set, so its pairs do not mirror the validation draws
        RocCurve roc = VerificationPairs.sample(unseen, dim, unseenLabels, pairs, seed ^ 0x5A5A5A5AL).roc();
        OneShotIdentification.Result id = OneShotIdentification.run(unseen, dim, unseenLabels, trials, seed);
        return new OneShotReport(t, val.accuracyAt(t), roc.accuracyAt(t), roc.auc(), roc.equalErrorRate(),
                roc.accuracyAt(roc.bestThreshold()), roc.positives() + roc.negatives(), id, roc);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("pairs", pairs);
        v.put("threshold", threshold);
        v.put("accuracy", accuracy);
        v.put("auc", auc);
        v.put("eer", eer);
        v.put("oracle_accuracy", oracleAccuracy);
        v.put("validation_accuracy", validationAccuracy);
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("ways", identification.ways());
        i.put("trials", identification.trials());
        i.put("accuracy", identification.accuracy());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verification", v);
        m.put("identification", i);
        return m;
    }
}
