package dev.clpipe.detect.scenes;

import dev.clpipe.data.AtomicFiles;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.PngEncoder;
import dev.clpipe.detect.AnnotatedImage;
import dev.clpipe.detect.DetectionExports;
import dev.clpipe.nn.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Writes generated digit scenes as an annotated image folder, the kind {@code detect-train} reads:
 * {@code OUT/train/images/scene-NNNNN.png} (lossless grey PNG at the scene's own size) with
 * {@code OUT/train/labels/scene-NNNNN.txt} and {@code labels/classes.names} (YOLO), or
 * {@code OUT/train/annotations.json} (COCO); the same under {@code OUT/test/}. Train scenes are
 * scenes 0..n-1 of MNIST train digits under {@code seed}, test scenes those of the test digits under
 * {@code seed ^ TEST_SEED_SALT}: the sets detect-train generates itself with the same seed (and
 * {@code fresh_each_epoch: false}). A {@code .done} stamp makes it idempotent.
 * Usage: {@code SceneFolders MNIST_DIR OUT_DIR [yolo|coco] [TRAIN] [TEST] [SEED]} (defaults yolo, 2000, 200, 42).
 */
public final class SceneFolders {
    /** Class names in head order, as detect-train's scenes use them. */
    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private SceneFolders() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SceneFolders MNIST_DIR OUT_DIR [yolo|coco] [TRAIN] [TEST] [SEED]");
            System.exit(2);
        }
        Path mnist = Path.of(args[0]), out = Path.of(args[1]);
        String format = args.length > 2 ? args[2] : "yolo";
        int train = args.length > 3 ? Integer.parseInt(args[3]) : 2000, test = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 42;
        if (Files.isRegularFile(out.resolve(".done"))) {
            System.out.println(out + " already written (remove it to write again)");
            return;
        }
        long t0 = System.nanoTime();
        write(Dataset.fromIdx(mnist, "train", 10), Dataset.fromIdx(mnist, "t10k", 10), SceneSpec.DEFAULT, seed, train, test, format, out);
        Files.writeString(out.resolve(".done"), String.format("%s scenes from %s, seed %d, %d train, %d test%n", format, mnist.toAbsolutePath(), seed, train, test));
        System.out.printf(Locale.ROOT, "wrote %d + %d digit scenes (%s) under %s in %.1f s%n", train, test, format, out, (System.nanoTime() - t0) / 1e9);
    }

    /** Both splits of the scene folder under {@code out}; {@code format} yolo or coco. */
    public static void write(Dataset trainDigits, Dataset testDigits, SceneSpec spec, long seed, int train, int test, String format, Path out) throws IOException {
        if (!format.equals("yolo") && !format.equals("coco")) throw new IllegalArgumentException("format must be yolo or coco, got " + format);
        split(new DigitSceneGenerator(trainDigits, spec, seed), train, format, out.resolve("train"));
        split(new DigitSceneGenerator(testDigits, spec, seed ^ DigitSceneGenerator.TEST_SEED_SALT), test, format, out.resolve("test"));
    }

    private static void split(DigitSceneGenerator generator, int count, String format, Path dir) throws IOException {
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        PngEncoder png = new PngEncoder(PngEncoder.DEFAULT_LEVEL);
        List<AnnotatedImage> truth = IntStream.range(0, count).parallel().mapToObj(i -> {
            Scene s = generator.scene(i);
            String name = String.format("scene-%05d.png", i);
            try {
                AtomicFiles.write(images.resolve(name), true, png.encode(new ImageData(s.width(), s.height(), 1, s.pixels())));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new AnnotatedImage(format.equals("coco") ? "images/" + name : name, s.width(), s.height(), s.objects());
        }).toList();
        if (format.equals("coco")) DetectionExports.writeCocoTruth(truth, DIGITS, dir.resolve("annotations.json"));
        else DetectionExports.writeYoloTruth(truth, DIGITS, dir.resolve("labels"));
    }
}
