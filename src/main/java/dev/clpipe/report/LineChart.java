package dev.clpipe.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import dev.clpipe.data.AtomicFiles;

/**
 * A line chart rendered with plain Java2D into a PNG (headless, no dependency beyond the JDK):
 * titled axes with grid lines, one coloured series per line with a legend. Axis ranges are
 * fixed or fitted to the data. Used for training curves and precision/recall curves.
 */
public final class LineChart {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final int TICKS = 10;

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
        if (width < 200 || height < 150) throw new IllegalArgumentException("chart must be at least 200x150, got " + width + "x" + height);
        double[] xs = xRange != null ? xRange : fit(true);
        double[] ys = yRange != null ? yRange : fit(false);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            Frame frame = new Frame(width - LEFT - RIGHT, height - TOP - BOTTOM, xs, ys);
            axes(g, frame);
            for (int i = 0; i < series.size(); i++) {
                Color colour = PALETTE[i % PALETTE.length];
                g.setColor(colour);
                g.setStroke(new BasicStroke(2f));
                g.draw(path(series.get(i), frame));
                int legendY = TOP + 18 + 16 * i;
                g.fillRect(LEFT + frame.width - 190, legendY - 8, 12, 4);
                g.setColor(Color.BLACK);
                g.drawString(series.get(i).name(), LEFT + frame.width - 172, legendY - 2);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes a 640x480 PNG atomically (parent folders created). */
    public void write(Path png) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(render(640, 480), "png", bytes)) throw new IOException(png + ": no PNG writer available");
        AtomicFiles.write(png, true, bytes.toByteArray());
    }

    /** Plot area size and the data range it shows. */
    private record Frame(int width, int height, double[] x, double[] y) {
        double px(double v) {
            return LEFT + width * (v - x[0]) / (x[1] - x[0]);
        }

        double py(double v) {
            return TOP + height * (1 - (v - y[0]) / (y[1] - y[0]));
        }
    }

    /** Data range with a little margin; a flat or empty series still gets a non-empty range. */
    private double[] fit(boolean horizontal) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : horizontal ? s.x() : s.y()) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) return new double[] {0, 1};
        if (min == max) return new double[] {min - 0.5, max + 0.5};
        double pad = horizontal ? 0 : 0.05 * (max - min);
        return new double[] {min - pad, max + pad};
    }

    private void axes(Graphics2D g, Frame f) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= TICKS; i++) {
            int x = LEFT + f.width * i / TICKS;
            int y = TOP + f.height - f.height * i / TICKS;
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(x, TOP, x, TOP + f.height);
            g.drawLine(LEFT, y, LEFT + f.width, y);
            if (i % 2 == 0) {
                g.setColor(Color.BLACK);
                g.drawString(label(f.x[0] + (f.x[1] - f.x[0]) * i / TICKS), x - 10, TOP + f.height + 16);
                g.drawString(label(f.y[0] + (f.y[1] - f.y[0]) * i / TICKS), 4, y + 4);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, f.width, f.height);
        g.drawString(xLabel, LEFT + f.width / 2 - 4 * xLabel.length(), TOP + f.height + 36);
        Graphics2D vertical = (Graphics2D) g.create();
        vertical.translate(14, TOP + f.height / 2 + 4 * yLabel.length());
        vertical.rotate(-Math.PI / 2);
        vertical.drawString(yLabel, 0, 0);
        vertical.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }

    static String label(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(Locale.ROOT, "%.1e", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        return String.format(Locale.ROOT, a >= 10 ? "%.1f" : "%.2f", v);
    }

    private static Path2D path(Series s, Frame f) {
        Path2D.Double path = new Path2D.Double();
        boolean started = false;
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                started = false; // a gap, e.g. a NaN loss, breaks the line
                continue;
            }
            double px = f.px(s.x()[i]);
            double py = f.py(s.y()[i]);
            if (started) path.lineTo(px, py);
            else path.moveTo(px, py);
            started = true;
        }
        return path;
    }
}
