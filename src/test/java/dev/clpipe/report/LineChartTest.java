package dev.clpipe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    private static final int WHITE = 0xFFFFFF;
    private static final int BLUE = 0x1f77b4; // first palette colour

    @Test
    void aSeriesIsDrawnWhereItsDataIs(@TempDir Path dir) throws Exception {
        // A horizontal line at y = 0.75 on a fixed 0..1 axis lies 25% below the plot's top edge.
        LineChart chart = new LineChart("t", "x", "y").xRange(0, 1).yRange(0, 1).add("flat", new double[] {0, 1}, new double[] {0.75, 0.75});
        Path png = dir.resolve("out/chart.png");
        chart.write(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(640, image.getWidth());
        int plotTop = 40;
        int plotHeight = 480 - 40 - 50;
        int lineY = plotTop + plotHeight / 4;
        int x = 64 + 100;
        assertEquals(BLUE, image.getRGB(x, lineY) & 0xFFFFFF, "line pixel");
        assertNotEquals(BLUE, image.getRGB(x, lineY + 20) & 0xFFFFFF, "below the line");
        assertEquals(WHITE, image.getRGB(x + 3, plotTop + plotHeight - 7) & 0xFFFFFF, "empty plot area stays white");
    }

    @Test
    void fittedAxesHandleFlatEmptyAndNonFiniteData() {
        new LineChart("t", "x", "y").render(320, 200);
        new LineChart("t", "x", "y").add("flat", new double[] {1, 2}, new double[] {3, 3}).render(320, 200);
        new LineChart("t", "x", "y").add("nan", new double[] {1, 2, 3}, new double[] {1, Double.NaN, 2}).render(320, 200);
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").render(100, 100));
        assertThrows(IllegalArgumentException.class, () -> new LineChart.Series("s", new double[2], new double[3]));
    }

    @Test
    void tickLabelsStayShort() {
        assertEquals("0.50", LineChart.label(0.5));
        assertEquals("12.5", LineChart.label(12.5));
        assertEquals("250", LineChart.label(250));
        assertEquals("1.0e-04", LineChart.label(1e-4));
        assertEquals("0.00", LineChart.label(0));
    }
}
