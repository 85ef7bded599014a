package dev.clpipe.report;

import dev.clpipe.data.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;

/** The look every clpipe chart shares (palette, fonts, grid, legend place) and the PNG writer. */
final class Charts {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Charts() {}

    static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    static void stylePlot(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlinePaint(Color.BLACK);
        plot.getDomainAxis().setLabelFont(LABEL_FONT);
        plot.getRangeAxis().setLabelFont(LABEL_FONT);
    }

    /** A chart with its title on top and, when asked, the legend below the plot (never on the data). */
    static JFreeChart titled(String title, XYPlot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        LegendTitle legendTitle = chart.getLegend();
        if (legendTitle != null) {
            legendTitle.setPosition(RectangleEdge.BOTTOM);
            legendTitle.setItemFont(LABEL_FONT);
            legendTitle.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        return chart;
    }

    /** Writes an image as PNG atomically (parent folders created). */
    static void writePng(BufferedImage image, Path png) throws IOException {
        AtomicFiles.write(png, true, ChartUtils.encodeAsPNG(image));
    }
}
