package dev.clpipe.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart (JFreeChart, headless) written as a PNG: titled axes with readable ticks (whole
 * numbers on an axis whose data are whole numbers, such as epochs), one coloured series per line,
 * the legend under the plot so it never covers data, and point markers on short curves.
 * Non-finite points leave a gap. Used for training, ROC, precision/recall and cost curves.
 */
public final class LineChart {
    /** Curves with at most this many points get a marker at each point. */
    static final int MARKER_LIMIT = 40;

    /** One line: its legend text and points (x ascending is not required). */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private double[] xRange;
    private double[] yRange;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart add(Series line) {
        series.add(line);
        return this;
    }

    public LineChart add(String name, double[] x, double[] y) {
        return add(new Series(name, x, y));
    }

    /** Fixes the x axis (otherwise fitted to the data). */
    public LineChart xRange(double min, double max) {
        xRange = new double[] {min, max};
        return this;
    }

    /** Fixes the y axis (otherwise fitted to the data). */
    public LineChart yRange(double min, double max) {
        yRange = new double[] {min, max};
        return this;
    }

    public BufferedImage render(int width, int height) {
        return render(width, height, null);
    }

    /** Renders into an image; {@code info}, when given, receives the plot area (for tests). */
    BufferedImage render(int width, int height, ChartRenderingInfo info) {
        if (width < 200 || height < 150) throw new IllegalArgumentException("chart must be at least 200x150, got " + width + "x" + height);
        return chart().createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, info);
    }

    /** Writes a 640x480 PNG atomically (parent folders created). */
    public void write(Path png) throws IOException {
        Charts.writePng(render(640, 480), png);
    }

    JFreeChart chart() {
        XYSeriesCollection data = new XYSeriesCollection();
        boolean wholeX = true;
        int longest = 0;
        for (Series s : series) {
            // Duplicate x values are allowed: an ROC or PR curve may be vertical in places.
            XYSeries line = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                double x = s.x()[i];
                double y = s.y()[i];
                // A NaN y (or x) keeps its place so the renderer breaks the line there.
                line.add(Double.isFinite(x) ? x : Double.NaN, Double.isFinite(y) ? y : Double.NaN);
                if (Double.isFinite(x) && x != Math.rint(x)) wholeX = false;
            }
            longest = Math.max(longest, s.x().length);
            data.addSeries(line);
        }
        NumberAxis xAxis = axis(xLabel, xRange);
        NumberAxis yAxis = axis(yLabel, yRange);
        if (wholeX && !series.isEmpty()) xAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, longest <= MARKER_LIMIT);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, Charts.colour(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        Charts.stylePlot(plot);
        return Charts.titled(title, plot, series.size() > 0);
    }

    private static NumberAxis axis(String label, double[] fixed) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        if (fixed != null) axis.setRange(fixed[0], fixed[1]);
        return axis;
    }

    /** Series colour i (as drawn). */
    static Color colour(int i) {
        return Charts.colour(i);
    }
}
