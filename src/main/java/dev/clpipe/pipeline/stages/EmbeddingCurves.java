package dev.clpipe.pipeline.stages;

import dev.clpipe.face.verify.RocCurve;
import dev.clpipe.report.LineChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Plots of {@code train-embedding} in the run folder: {@code loss.png} (train and validation
 * triplet loss per epoch) and {@code roc.png} (verification ROC on the unseen classes, trained
 * against untrained network).
 */
final class EmbeddingCurves {
    private EmbeddingCurves() {}

    static void writeLoss(Path folder, List<Map<String, Object>> train, List<Map<String, Object>> validation) throws IOException {
        new LineChart("triplet loss per epoch", "epoch", "loss")
                .add("train loss", column(train, "epoch"), column(train, "loss"))
                .add("validation loss", column(validation, "epoch"), column(validation, "loss"))
                .write(folder.resolve("loss.png"));
    }

    static void writeRoc(Path folder, RocCurve trained, RocCurve untrained) throws IOException {
        new LineChart("verification ROC, unseen classes", "false accept rate", "true accept rate")
                .add(series("trained", trained))
                .add(series("untrained", untrained))
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
