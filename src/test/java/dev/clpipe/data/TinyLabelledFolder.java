package dev.clpipe.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small labelled folder for tests: classes {@code bottom}, {@code left}, {@code top} (which half
 * of the image is bright), each image in one of several shapes (8x8 grey PNG, 12x10 RGB JPEG,
 * 9x7 RGBA PNG), one corrupt file, and an empty class folder {@code zempty}.
 */
public final class TinyLabelledFolder {
    public static final String[] CLASSES = {"bottom", "left", "top"};

    private TinyLabelledFolder() {}

    /** Writes {@code perClass} images per class under {@code root} (plus bad.png in top/ and the empty folder). */
    public static Path write(Path root, int perClass, long seed) throws IOException {
        Random r = new Random(seed);
        for (int c = 0; c < CLASSES.length; c++) {
            Path dir = Files.createDirectories(root.resolve(CLASSES[c]));
            for (int i = 0; i < perClass; i++) image(dir, CLASSES[c] + i, c, i % 3, r);
        }
        Files.writeString(root.resolve("top").resolve("bad.png"), "not an image at all");
        Files.createDirectories(root.resolve("zempty"));
        return root;
    }

    /** One image of class {@code c}; {@code kind} 0 grey PNG 8x8, 1 RGB JPEG 12x10, 2 RGBA PNG 9x7. */
    public static void image(Path dir, String name, int c, int kind, Random r) throws IOException {
        int w = kind == 0 ? 8 : kind == 1 ? 12 : 9, h = kind == 0 ? 8 : kind == 1 ? 10 : 7;
        int type = kind == 0 ? BufferedImage.TYPE_BYTE_GRAY : kind == 1 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB;
        BufferedImage im = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean bright = c == 0 ? y >= h / 2 : c == 1 ? x < w / 2 : y < h / 2;
                int v = (bright ? 200 : 30) + r.nextInt(30);
                im.setRGB(x, y, 0xFF000000 | v << 16 | v << 8 | v);
            }
        }
        ImageIO.write(im, kind == 1 ? "jpeg" : "png", dir.resolve(name + (kind == 1 ? ".jpg" : ".png")).toFile());
    }
}
