package dev.clpipe.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a folder of good images (two classes, every supported format and colour kind) plus a
 * dozen kinds of broken files, and tells what each file should give: {@code null} for a good
 * image, else the expected {@link RejectReason} code.
 */
public final class TestDataGenerator {
    private TestDataGenerator() {
    }

    public static Map<String, String> generate(Path root, int goodPerClass) throws IOException {
        Map<String, String> expected = new TreeMap<>();
        String[] formats = {"png", "jpg", "bmp", "gif"};
        for (String cls : new String[] {"cat", "dog"}) {
            for (int i = 0; i < goodPerClass; i++) {
                ImageData img = TestImages.pattern(8 + i % 5, 6 + i % 3, 3);
                String fmt = formats[i % formats.length];
                byte[] bytes = switch (fmt) {
                    case "png" -> TestImages.png(img);
                    case "jpg" -> TestImages.jpeg(img, 0.9f);
                    case "bmp" -> TestImages.bmp(img);
                    default -> TestImages.gif(img);
                };
                put(root, expected, cls + "/img" + String.format("%04d", i) + "." + fmt, bytes, null);
            }
        }
        ImageData rgb = TestImages.pattern(16, 16, 3);
        byte[] jpeg = TestImages.jpeg(TestImages.pattern(32, 24, 3), 0.9f);
        byte[] png = TestImages.png(rgb);
        byte[] gif = TestImages.gif(rgb);
        byte[] bmp = TestImages.bmp(rgb);
        // good but unusual
        put(root, expected, "odd/grey.png", TestImages.png(TestImages.pattern(9, 7, 1)), null);
        put(root, expected, "odd/rgba.png", TestImages.png(TestImages.pattern(9, 7, 4)), null);
        put(root, expected, "odd/grey16.png", TestImages.grey16Png(3, 2, new int[] {0, 257, 65535, 1000, 2000, 3000}),
                null);
        put(root, expected, "odd/rotated.JPG", TestImages.withOrientation(jpeg, 6, false), null);
        put(root, expected, "odd/really-a-png.jpg", png, null);
        put(root, expected, "odd/cmyk.jpg", TestImages.cmykJpeg(16, 16), null);
        put(root, expected, "odd/grey.jpeg", TestImages.jpeg(TestImages.pattern(16, 8, 1), 0.9f), null);
        // broken
        put(root, expected, "broken/empty.png", new byte[0], "empty");
        put(root, expected, "broken/text.jpg", "hello, I am not a picture\n".getBytes(StandardCharsets.UTF_8),
                "not_image");
        put(root, expected, "broken/html.png", "<html><body>404</body></html>".getBytes(StandardCharsets.UTF_8),
                "not_image");
        put(root, expected, "broken/cut.png", TestImages.truncate(png, png.length / 2), "truncated");
        put(root, expected, "broken/cut-after-idat.png", TestImages.truncate(png, png.length - 12), "truncated");
        put(root, expected, "broken/cut.jpg", TestImages.truncate(jpeg, jpeg.length * 2 / 3), "truncated");
        put(root, expected, "broken/cut-header.jpg", TestImages.truncate(jpeg, 40), "truncated");
        put(root, expected, "broken/cut.gif", TestImages.truncate(gif, gif.length - 3), "truncated");
        put(root, expected, "broken/cut.bmp", TestImages.truncate(bmp, bmp.length - 100), "truncated");
        put(root, expected, "broken/bomb.png", TestImages.pngDeclaring(100_000, 100_000), "too_large");
        put(root, expected, "broken/tiff.bmp", new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0}, "unsupported_format");
        byte[] garbled = png.clone();
        for (int i = 41; i < garbled.length - 20; i++) { // IDAT content (after signature+IHDR+IDAT header)
            garbled[i] = (byte) (garbled[i] ^ 0x5A);
        }
        put(root, expected, "broken/garbled.png", garbled, "corrupt");
        // not images by extension: must not be listed at all
        Files.writeString(root.resolve("notes.txt"), "ignored");
        Files.write(root.resolve("cat/.hidden.png"), png);
        return expected;
    }

    private static void put(Path root, Map<String, String> expected, String rel, byte[] bytes, String reason)
            throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        expected.put(rel, reason);
    }
}
