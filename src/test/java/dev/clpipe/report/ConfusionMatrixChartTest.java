package dev.clpipe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixChartTest {
    @Test
    void cellsAreColouredByTheShareOfTheirRow(@TempDir Path dir) throws Exception {
        // Class "a": 90 right, 10 as "b"; class "b": all 5 right (a rare class still shows as dark).
        long[][] counts = {{90, 10}, {0, 5}};
        ConfusionMatrixChart chart = new ConfusionMatrixChart("confusion", List.of("a", "b"), counts);
        assertEquals(0.9, chart.share(0, 0), 1e-12);
        assertEquals(1.0, chart.share(1, 1), 1e-12);

        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = chart.render(info);
        Rectangle2D area = info.getPlotInfo().getDataArea();
        // Cell (t, p) is column p, row t counted from the top (first class on top).
        double cellW = area.getWidth() / 2;
        double cellH = area.getHeight() / 2;
        int darkAB = brightness(image, area, cellW, cellH, 0, 1); // 10 %
        int darkAA = brightness(image, area, cellW, cellH, 0, 0); // 90 %
        int darkBA = brightness(image, area, cellW, cellH, 1, 0); // 0 %
        int darkBB = brightness(image, area, cellW, cellH, 1, 1); // 100 %
        assertTrue(darkBB < darkAA && darkAA < darkAB && darkAB < darkBA, "brightness falls with share: " + darkBB + " " + darkAA + " " + darkAB + " " + darkBA);
        assertEquals(255 * 3, darkBA, "an empty cell is white");

        Path png = dir.resolve("confusion.png");
        chart.write(png);
        assertEquals(480, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void manyClassesGetALargerPictureAndBadShapesAreRefused() {
        int n = 40;
        List<String> names = java.util.stream.IntStream.range(0, n).mapToObj(i -> "class" + i).toList();
        ConfusionMatrixChart big = new ConfusionMatrixChart("c", names, new long[n][n]);
        assertTrue(big.side() > 480);
        big.render();
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrixChart("c", List.of("a", "b"), new long[3][3]));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrixChart("c", List.of("a", "b"), new long[][] {{1, 2}, {3}}));
    }

    /** Summed RGB near a cell's corner (away from the count text in its middle). */
    private static int brightness(BufferedImage image, Rectangle2D area, double w, double h, int row, int col) {
        int x = (int) (area.getMinX() + col * w + w * 0.15);
        int y = (int) (area.getMinY() + row * h + h * 0.15);
        Color c = new Color(image.getRGB(x, y));
        return c.getRed() + c.getGreen() + c.getBlue();
    }
}
