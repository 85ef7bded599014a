package dev.clpipe.detect;

import dev.clpipe.report.LineChart;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Precision/recall curves (one per class, with its AP in the legend) as a PNG: recall on x,
 * precision on y, both 0..1, each curve drawn as its monotone envelope (the interpolated
 * precision VOC integrates).
 */
public final class PrCurvePlot {
    private PrCurvePlot() {
    }

    /** Renders the curves into an image of the given size. */
    public static BufferedImage render(List<PrCurve> curves, String title, int width, int height) {
        return chart(curves, title).render(width, height);
    }

    /** Writes the plot as a PNG (640x480), creating parent folders. */
    public static void write(Path png, List<PrCurve> curves, String title) throws IOException {
        chart(curves, title).write(png);
    }

    private static LineChart chart(List<PrCurve> curves, String title) {
        LineChart chart = new LineChart(title, "recall", "precision").xRange(0, 1).yRange(0, 1);
        for (PrCurve c : curves) {
            double[][] steps = envelopeSteps(c);
            chart.add(String.format(Locale.ROOT, "%s  AP50 %.3f", c.label(), c.vocAp()), steps[0], steps[1]);
        }
        return chart;
    }

    /** Step points of the interpolated precision: (0, p0) ... (r_i, p_i), dropping vertically at each recall. */
    static double[][] envelopeSteps(PrCurve c) {
        double[] r = c.recall();
        double[] p = c.precision().clone();
        for (int i = p.length - 2; i >= 0; i--) {
            p[i] = Math.max(p[i], p[i + 1]);
        }
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, p.length > 0 ? p[0] : 0});
        double previousRecall = 0;
        for (int i = 0; i < r.length; i++) {
            points.add(new double[] {previousRecall, p[i]});
            points.add(new double[] {r[i], p[i]});
            previousRecall = r[i];
        }
        double[] xs = new double[points.size()];
        double[] ys = new double[points.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = points.get(i)[0];
            ys[i] = points.get(i)[1];
        }
        return new double[][] {xs, ys};
    }
}
