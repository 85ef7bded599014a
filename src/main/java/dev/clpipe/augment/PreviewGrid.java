package dev.clpipe.augment;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A contact sheet for checking an augment config by eye: one row per source image, the original
 * first and then K augmented variants (epochs 0..K-1 of the same sample, so each variant is what
 * training would see in that epoch), separated by a gap.
 */
public final class PreviewGrid {
    private static final int GAP = 4;

    private PreviewGrid() {}

    /** Renders rows of [original, variant 1..K]; {@code variants} holds K batches of the same images. */
    public static BufferedImage render(ImageBatch originals, ImageBatch[] variants) {
        int cellW = originals.width(), cellH = originals.height();
        for (ImageBatch v : variants) {
            if (v.count() != originals.count()) throw new IllegalArgumentException("each variant batch must hold " + originals.count() + " images");
            cellW = Math.max(cellW, v.width());
            cellH = Math.max(cellH, v.height());
        }
        int columns = 1 + variants.length;
        BufferedImage sheet = new BufferedImage(GAP + columns * (cellW + GAP), GAP + originals.count() * (cellH + GAP), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.DARK_GRAY);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            for (int n = 0; n < originals.count(); n++) {
                int y = GAP + n * (cellH + GAP);
                g.drawImage(originals.image(n), GAP, y, null);
                for (int k = 0; k < variants.length; k++) g.drawImage(variants[k].image(n), GAP + (k + 1) * (cellW + GAP), y, null);
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    /** Augments {@code originals} as samples 0..N-1 in epochs 0..K-1 and renders the sheet. */
    public static BufferedImage render(Augmenter augmenter, ImageBatch originals, int variants) {
        if (variants < 1) throw new IllegalArgumentException("preview.variants must be at least 1, got " + variants);
        long[] indices = new long[originals.count()];
        for (int i = 0; i < indices.length; i++) indices[i] = i;
        ImageBatch[] out = new ImageBatch[variants];
        for (int k = 0; k < variants; k++) out[k] = augmenter.apply(originals, k, indices);
        return render(originals, out);
    }

    public static void writePng(BufferedImage sheet, Path file) throws IOException {
        if (!ImageIO.write(sheet, "png", file.toFile())) throw new IOException("no PNG writer for " + file);
    }

    /** Images of any sizes as one RGB batch: each scaled to {@code height x width}. */
    public static ImageBatch resizedBatch(java.util.List<BufferedImage> images, int height, int width) {
        java.util.List<BufferedImage> scaled = new java.util.ArrayList<>();
        for (BufferedImage image : images) {
            BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
            g.dispose();
            scaled.add(out);
        }
        return ImageBatch.ofImages(scaled);
    }

    /**
     * Developer entry until the preview pipeline exists:
     * {@code PreviewGrid AUGMENT.yaml OUT.png VARIANTS IMAGE...} (the YAML holds one augment section;
     * images are scaled to 256x256 first; device from -Dclpipe.device, default cpu).
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: PreviewGrid AUGMENT.yaml OUT.png VARIANTS IMAGE...");
            System.exit(2);
        }
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> section = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(Path.of(args[0]).toFile(), java.util.Map.class);
        AugmentConfig config = AugmentConfigReader.read(section, 1);
        java.util.List<BufferedImage> images = new java.util.ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            BufferedImage image = ImageIO.read(Path.of(args[i]).toFile());
            if (image == null) throw new IOException("cannot decode " + args[i]);
            images.add(image);
        }
        try (dev.clpipe.cl.ClContext context = dev.clpipe.cl.ClRuntime.standard().openOne(System.getProperty("clpipe.device", "cpu"));
                Augmenter augmenter = new Augmenter(context, config, AugmentConfigReader.variant(section))) {
            writePng(render(augmenter, resizedBatch(images, 256, 256), Integer.parseInt(args[2])), Path.of(args[1]));
        }
    }
}
