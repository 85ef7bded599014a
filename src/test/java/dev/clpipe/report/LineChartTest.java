package dev.clpipe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    private static final int BLUE = 0x1f77b4; // first series colour

    @Test
    void aSeriesIsDrawnWhereItsDataIs(@TempDir Path dir) throws Exception {
        // A horizontal line at y = 0.75 on a fixed 0..1 axis lies a quarter of the plot below its top edge.
        LineChart chart = new LineChart("t", "x", "y").xRange(0, 1).yRange(0, 1).add("flat", new double[] {0, 1}, new double[] {0.75, 0.75});
        Path png = dir.resolve("out/chart.png");
        chart.write(png);
        BufferedImage written = ImageIO.read(png.toFile());
        assertEquals(640, written.getWidth());
        assertEquals(480, written.getHeight());

        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = chart.render(640, 480, info);
        Rectangle2D area = info.getPlotInfo().getDataArea();
        int x = (int) area.getCenterX();
        int lineY = (int) Math.round(area.getMinY() + area.getHeight() / 4);
        assertTrue(near(image, x, lineY, BLUE), "the line is at y = 0.75");
        assertFalse(near(image, x, (int) area.getCenterY(), BLUE), "nothing drawn at y = 0.5");
    }

    @Test
    void epochAxesGetWholeNumberTicksAndShortCurvesGetMarkers() {
        double[] epochs = {1, 2, 3, 4, 5};
        JFreeChart chart = new LineChart("t", "epoch", "loss").add("train", epochs, new double[] {0.9, 0.5, 0.4, 0.35, 0.33}).chart();
        chart.createBufferedImage(640, 480);
        XYPlot plot = chart.getXYPlot();
        double tick = ((NumberAxis) plot.getDomainAxis()).getTickUnit().getSize();
        assertEquals(Math.rint(tick), tick, "epoch ticks are whole numbers, got " + tick);
        assertTrue(((XYLineAndShapeRenderer) plot.getRenderer()).getDefaultShapesVisible(), "5 points get markers");

        double[] many = new double[500];
        for (int i = 0; i < many.length; i++) many[i] = i * 0.01;
        JFreeChart dense = new LineChart("t", "recall", "precision").add("pr", many, many).chart();
        assertFalse(((XYLineAndShapeRenderer) dense.getXYPlot().getRenderer()).getDefaultShapesVisible(), "500 points: line only");
    }

    @Test
    void theLegendSitsBelowThePlot() {
        ChartRenderingInfo info = new ChartRenderingInfo();
        new LineChart("t", "epoch", "loss").add("a", new double[] {1, 2}, new double[] {1, 2}).add("b", new double[] {1, 2}, new double[] {2, 1})
                .render(640, 480, info);
        Rectangle2D plot = info.getPlotInfo().getPlotArea();
        assertTrue(plot.getMaxY() < 470, "room under the plot for the legend: plot ends at " + plot.getMaxY());
    }

    @Test
    void fittedAxesHandleFlatEmptyAndNonFiniteData() {
        new LineChart("t", "x", "y").render(320, 200);
        new LineChart("t", "x", "y").add("flat", new double[] {1, 2}, new double[] {3, 3}).render(320, 200);
        new LineChart("t", "x", "y").add("nan", new double[] {1, 2, 3}, new double[] {1, Double.NaN, 2}).render(320, 200);
        new LineChart("t", "x", "y").add("inf", new double[] {1, 2, 3}, new double[] {1, Double.POSITIVE_INFINITY, 2}).render(320, 200);
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").render(100, 100));
        assertThrows(IllegalArgumentException.class, () -> new LineChart.Series("s", new double[2], new double[3]));
    }

    /** True when a pixel within 2 px vertically of (x, y) has the colour (anti-aliasing blurs edges). */
    static boolean near(BufferedImage image, int x, int y, int rgb) {
        for (int dy = -2; dy <= 2; dy++) {
            if ((image.getRGB(x, y + dy) & 0xFFFFFF) == rgb) return true;
        }
        return false;
    }
}
