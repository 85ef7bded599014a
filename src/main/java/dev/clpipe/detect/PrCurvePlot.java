package dev.clpipe.detect;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws precision/recall curves (one per class, with its AP in the legend) into a PNG with plain
 * Java2D: recall on x, precision on y, both 0..1, each curve drawn as its monotone envelope
 * (the interpolated precision VOC integrates). Headless; no dependency beyond the JDK.
 */
public final class PrCurvePlot {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private PrCurvePlot() {
    }

    /** Renders the curves into an image of the given size. */
    public static BufferedImage render(List<PrCurve> curves, String title, int width, int height) {
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("plot must be at least 200x150, got " + width + "x" + height);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int pw = width - LEFT - RIGHT;
            int ph = height - TOP - BOTTOM;
            axes(g, pw, ph, title);
            for (int i = 0; i < curves.size(); i++) {
                PrCurve c = curves.get(i);
                Color colour = PALETTE[i % PALETTE.length];
                g.setColor(colour);
                g.setStroke(new BasicStroke(2f));
                g.draw(path(c, pw, ph));
                int ly = TOP + 18 + 16 * i;
                g.fillRect(LEFT + pw - 170, ly - 8, 12, 4);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%s  AP50 %.3f", c.label(), c.vocAp()), LEFT + pw - 152, ly - 2);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes the plot as a PNG (640x480), creating parent folders. */
    public static void write(Path png, List<PrCurve> curves, String title) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(render(curves, title, 640, 480), "png", png.toFile())) {
            throw new IOException(png + ": no PNG writer available");
        }
    }

    private static void axes(Graphics2D g, int pw, int ph, String title) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 10; i++) {
            int x = LEFT + pw * i / 10;
            int y = TOP + ph - ph * i / 10;
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(x, TOP, x, TOP + ph);
            g.drawLine(LEFT, y, LEFT + pw, y);
            if (i % 2 == 0) {
                g.setColor(Color.BLACK);
                String label = String.format(Locale.ROOT, "%.1f", i / 10.0);
                g.drawString(label, x - 8, TOP + ph + 16);
                g.drawString(label, LEFT - 28, y + 4);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString("recall", LEFT + pw / 2 - 15, TOP + ph + 36);
        Graphics2D v = (Graphics2D) g.create();
        v.translate(18, TOP + ph / 2 + 25);
        v.rotate(-Math.PI / 2);
        v.drawString("precision", 0, 0);
        v.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }

    /** Step path of the interpolated precision: (0, p0) … (r_i, p_i), dropping vertically at each recall. */
    private static Path2D path(PrCurve c, int pw, int ph) {
        double[] r = c.recall();
        double[] p = c.precision().clone();
        for (int i = p.length - 2; i >= 0; i--) {
            p[i] = Math.max(p[i], p[i + 1]);
        }
        Path2D.Double path = new Path2D.Double();
        double prevR = 0;
        path.moveTo(LEFT, TOP + ph * (1 - (p.length > 0 ? p[0] : 0)));
        for (int i = 0; i < r.length; i++) {
            double y = TOP + ph * (1 - p[i]);
            path.lineTo(LEFT + pw * prevR, y);
            path.lineTo(LEFT + pw * r[i], y);
            prevR = r[i];
        }
        return path;
    }
}
