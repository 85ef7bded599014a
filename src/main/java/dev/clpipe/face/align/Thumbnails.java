package dev.clpipe.face.align;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small JPEG thumbnails of face crops for contact sheets. */
public final class Thumbnails {
    private Thumbnails() {}

    /** The crop scaled (bilinear) so its longer side is {@code side} pixels, as JPEG bytes. */
    public static byte[] jpeg(RgbImage crop, int side) {
        double s = (double) side / Math.max(crop.width(), crop.height());
        int w = Math.max(1, (int) Math.round(crop.width() * s)), h = Math.max(1, (int) Math.round(crop.height() * s));
        BufferedImage src = crop.toImageData().toBufferedImage();
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(dst, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
