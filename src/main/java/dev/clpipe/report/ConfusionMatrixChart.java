package dev.clpipe.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A confusion matrix as a heat map PNG: rows are the true classes (first class on top), columns
 * the predicted ones; a cell's colour is the share of its row (so a rare class is as visible as a
 * common one) and its text the count. Class names label both axes.
 */
public final class ConfusionMatrixChart {
    /** Above this many classes the counts are left out of the cells (they would not fit). */
    static final int COUNT_TEXT_LIMIT = 25;

    private final String title;
    private final List<String> classes;
    private final long[][] counts;

    /** {@code counts[t][p]}: samples of true class t predicted as p; square, one row per class. */
    public ConfusionMatrixChart(String title, List<String> classes, long[][] counts) {
        if (counts.length != classes.size()) throw new IllegalArgumentException(counts.length + " rows for " + classes.size() + " classes");
        for (long[] row : counts) {
            if (row.length != classes.size()) throw new IllegalArgumentException("row of " + row.length + " counts for " + classes.size() + " classes");
        }
        this.title = title;
        this.classes = List.copyOf(classes);
        this.counts = counts;
    }

    /** The share of true class t's samples predicted as p (0 for an empty row). */
    double share(int t, int p) {
        long total = 0;
        for (long v : counts[t]) total += v;
        return total == 0 ? 0 : (double) counts[t][p] / total;
    }

    /** The side in pixels that leaves every cell readable. */
    int side() {
        return Math.max(480, Math.min(2000, 160 + 44 * classes.size()));
    }

    public BufferedImage render() {
        return render(null);
    }

    BufferedImage render(ChartRenderingInfo info) {
        return chart().createBufferedImage(side(), side(), BufferedImage.TYPE_INT_RGB, info);
    }

    public void write(Path png) throws IOException {
        Charts.writePng(render(), png);
    }

    JFreeChart chart() {
        int n = classes.size();
        double[][] xyz = new double[3][n * n];
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                int i = t * n + p;
                xyz[0][i] = p;
                xyz[1][i] = t;
                xyz[2][i] = share(t, p);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("share of true class", xyz);
        String[] names = classes.toArray(String[]::new);
        SymbolAxis predicted = new SymbolAxis("predicted class", names);
        predicted.setVerticalTickLabels(n > 6);
        SymbolAxis truth = new SymbolAxis("true class", names);
        truth.setInverted(true);
        for (SymbolAxis axis : List.of(predicted, truth)) {
            axis.setGridBandsVisible(false);
            axis.setRange(-0.5, n - 0.5);
        }
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(new BlueScale());
        XYPlot plot = new XYPlot(data, predicted, truth, renderer);
        Charts.stylePlot(plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        if (n <= COUNT_TEXT_LIMIT) {
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, n > 12 ? 10 : 12);
            for (int t = 0; t < n; t++) {
                for (int p = 0; p < n; p++) {
                    XYTextAnnotation text = new XYTextAnnotation(Long.toString(counts[t][p]), p, t);
                    text.setFont(font);
                    text.setPaint(share(t, p) > 0.5 ? Color.WHITE : Color.BLACK);
                    plot.addAnnotation(text);
                }
            }
        }
        return Charts.titled(title, plot, false);
    }

    /** White (0) to dark blue (1): the share of the row. */
    static final class BlueScale implements PaintScale {
        private static final Color LOW = Color.WHITE;
        private static final Color HIGH = new Color(0x08306b);

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Color getPaint(double value) {
            double v = Double.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
            return new Color(mix(LOW.getRed(), HIGH.getRed(), v), mix(LOW.getGreen(), HIGH.getGreen(), v), mix(LOW.getBlue(), HIGH.getBlue(), v));
        }

        private static int mix(int a, int b, double v) {
            return (int) Math.round(a + (b - a) * v);
        }
    }
}
