package dev.clpipe.pipeline.stages;

import dev.clpipe.nn.Evaluation;
import dev.clpipe.report.ConfusionMatrixChart;
import dev.clpipe.report.LineChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code loss.png} and {@code accuracy.png} in the run folder: train and test curves per epoch;
 * and confusion-matrix pictures of an evaluation.
 */
final class TrainingCurves {
    private TrainingCurves() {}

    static void write(Path folder, List<Map<String, Object>> train, List<Map<String, Object>> test) throws IOException {
        chart("loss per epoch", "loss", "loss", train, test).write(folder.resolve("loss.png"));
        chart("accuracy per epoch", "accuracy", "accuracy", train, test).write(folder.resolve("accuracy.png"));
    }

    /** A heat map of the evaluation's confusion matrix; classes are named by their index. */
    static void writeConfusion(Path png, String title, Evaluation evaluation) throws IOException {
        int n = evaluation.confusion().length;
        List<String> names = java.util.stream.IntStream.range(0, n).mapToObj(Integer::toString).toList();
        new ConfusionMatrixChart(title, names, evaluation.confusion()).write(png);
    }

    private static LineChart chart(String title, String yLabel, String key, List<Map<String, Object>> train, List<Map<String, Object>> test) {
        return new LineChart(title, "epoch", yLabel)
                .add("train " + key, column(train, "epoch"), column(train, key))
                .add("test " + key, column(test, "epoch"), column(test, key));
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
