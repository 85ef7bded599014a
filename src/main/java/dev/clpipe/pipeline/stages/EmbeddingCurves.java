package dev.clpipe.pipeline.stages;

import dev.clpipe.face.verify.RocCurve;
import dev.clpipe.report.LineChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Plots of {@code train-embedding} in the run folder: {@code loss.png} (train triplet loss per
 * check and per epoch, validation loss per epoch) and {@code roc.png} (verification ROC on the
 * unseen classes: trained network, untrained network, raw pixels).
 */
final class EmbeddingCurves {
    private EmbeddingCurves() {}

    /**
     * Train loss at every check (x = epochs done, fractional), epoch means and validation loss
     * at each epoch's end.
     */
    static void writeLoss(Path folder, List<double[]> checks, double stepsPerEpoch, List<Map<String, Object>> train,
                          List<Map<String, Object>> validation) throws IOException {
        double[] x = new double[checks.size()];
        double[] y = new double[checks.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = checks.get(i)[0] / stepsPerEpoch;
            y[i] = checks.get(i)[1];
        }
        new LineChart("triplet loss", "epoch", "loss")
                .add("train loss (per check)", x, y)
                .add("train loss (epoch mean)", column(train, "epoch"), column(train, "loss"))
                .add("validation loss", column(validation, "epoch"), column(validation, "loss"))
                .write(folder.resolve("loss.png"));
    }

    static void writeRoc(Path folder, RocCurve trained, RocCurve untrained, RocCurve pixels) throws IOException {
        new LineChart("verification ROC, unseen classes", "false accept rate", "true accept rate")
                .add(series("trained", trained))
                .add(series("untrained", untrained))
                .add(series("raw pixels", pixels))
                .xRange(0, 1).yRange(0, 1)
                .write(folder.resolve("roc.png"));
    }

    private static LineChart.Series series(String name, RocCurve roc) {
        RocCurve.Point[] p = roc.points();
        double[] x = new double[p.length];
        double[] y = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            x[i] = p[i].fpr();
            y[i] = p[i].tpr();
        }
        return new LineChart.Series(String.format("%s (AUC %.3f)", name, roc.auc()), x, y);
    }

    private static double[] column(List<Map<String, Object>> rows, String key) {
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            Object v = rows.get(i).get(key);
            values[i] = v instanceof Number n ? n.doubleValue() : Double.NaN;
        }
        return values;
    }
}
