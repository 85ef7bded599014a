package dev.clpipe.detect.face;

import dev.clpipe.data.ImageData;
import dev.clpipe.detect.Detection;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** An RGB copy of an image with each detection's box and score drawn on it (for eyeballing results). */
public final class BoxDrawing {
    private BoxDrawing() {}

    public static ImageData draw(ImageData image, List<Detection> detections) {
        ImageData rgb = image.withChannels(3);
        BufferedImage img = rgb.toBufferedImage();
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float stroke = Math.max(1.5f, Math.max(image.width(), image.height()) / 500f);
            g.setStroke(new BasicStroke(stroke));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(Math.max(10, stroke * 6))));
            for (Detection d : detections) {
                int x = (int) Math.round(d.box().x1()), y = (int) Math.round(d.box().y1());
                int w = (int) Math.round(d.box().width()), h = (int) Math.round(d.box().height());
                g.setColor(new Color(40, 230, 60));
                g.drawRect(x, y, w, h);
                g.drawString(String.format(Locale.ROOT, "%.2f", d.score()), x, Math.max(g.getFont().getSize(), y - 2));
            }
        } finally {
            g.dispose();
        }
        return ImageData.fromBufferedImage(img);
    }
}
