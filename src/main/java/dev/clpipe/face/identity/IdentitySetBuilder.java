package dev.clpipe.face.identity;

import dev.clpipe.augment.AugmentConfig;
import dev.clpipe.augment.AugmentConfigReader;
import dev.clpipe.augment.BatchParams;
import dev.clpipe.augment.ImageBatch;
import dev.clpipe.augment.ParamPlanner;
import dev.clpipe.augment.ReferenceAugmenter;
import dev.clpipe.data.Annotations;
import dev.clpipe.data.Box;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageDecoder;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Builds a labelled face set from real faces, since no labelled face set is on the package
 * registries: every ground-truth face of a group photo (the Solvay 1927 photo's 29 people, ViSP's
 * {@code ground_truth_detection.txt}) becomes one identity, and so does each extra face box given
 * (faces the detector found in other photos: the astronaut, the cameraman, Messi); each gets {@code variants} photos made
 * by strong, realistic augmentation (pose-like rotation and shear, scale and position jitter,
 * mirror, exposure and contrast, colour casts, slight elastic warp, then a resolution drop and
 * JPEG compression), plus one clean gallery photo. Output:
 *
 * <pre>
 *   OUT/identities/person-NN/vVV.jpg   augmented photos, a subfolder per person
 *   OUT/identities/boxes.csv           image,x,y,w,h: the face box moved with each warp
 *   OUT/identities/pairs.csv           a,b,same: verification pairs, half same person, half not
 *   OUT/gallery/person-NN/clean.png    the un-augmented crop (one photo per person, for 1:K)
 *   OUT/gallery/boxes.csv
 * </pre>
 *
 * Deterministic for a seed. The augmented photos share their source pixels, so this is a test of
 * invariance to imaging conditions, not of ageing, expression or true pose change; say so when
 * quoting scores on it.
 */
public final class IdentitySetBuilder {
    /** Crop side around each face, in face-box sides: the face sits in the middle half-ish. */
    static final double CONTEXT = 2.0;
    static final int SOURCE = 192;
    static final int OUTPUT = 160;

    private IdentitySetBuilder() {}

    /** The augmentation, as a YAML stage would spell it (docs/face-clustering.md quotes it). */
    static AugmentConfig augmentation(long seed) {
        Map<String, Object> ops = new java.util.LinkedHashMap<>();
        ops.put("mirror", Map.of("horizontal", 0.5));
        ops.put("rotate", Map.of("probability", 0.9, "degrees", 15));
        ops.put("shear", Map.of("probability", 0.5, "degrees", 8));
        ops.put("scale", Map.of("probability", 1.0, "factor", List.of(0.85, 1.2)));
        ops.put("translate", Map.of("probability", 1.0, "fraction", 0.06));
        ops.put("brightness_contrast", Map.of("probability", 1.0, "brightness", List.of(0.6, 1.4), "contrast", List.of(0.6, 1.4)));
        ops.put("color_shift", Map.of("probability", 0.7, "max_shift", 25));
        ops.put("elastic", Map.of("probability", 0.3, "alpha", 20, "sigma", 5));
        return AugmentConfigReader.read(Map.of("output_size", List.of(OUTPUT, OUTPUT), "fill", 0, "ops", ops), seed);
    }

    public record Summary(int identities, int photos) {}

    /** One more person: a face box in another photo (e.g. found by the detector in data/photos). */
    public record Extra(Path photo, Box box) {
        /** {@code PATH:x,y,w,h}. */
        public static Extra parse(String spec) {
            int colon = spec.lastIndexOf(':');
            String[] v = spec.substring(colon + 1).split(",");
            if (colon < 0 || v.length != 4) throw new IllegalArgumentException("extra face must be PATH:x,y,w,h, got " + spec);
            return new Extra(Path.of(spec.substring(0, colon)),
                    new Box(Double.parseDouble(v[0]), Double.parseDouble(v[1]), Double.parseDouble(v[2]), Double.parseDouble(v[3])));
        }
    }

    public static Summary build(Path photo, Path groundTruth, List<Integer> skip, int variants, long seed, Path out) throws IOException {
        return build(photo, groundTruth, skip, List.of(), variants, seed, out);
    }

    /** The Solvay people (ground truth less {@code skip}), then one person per {@code extras} entry. */
    public static Summary build(Path photo, Path groundTruth, List<Integer> skip, List<Extra> extras, int variants, long seed, Path out)
            throws IOException {
        ImageData image = decode(photo);
        List<Box> boxes = Annotations.readVispDetections(groundTruth);
        List<byte[]> crops = new ArrayList<>();
        List<double[]> cropBoxes = new ArrayList<>();
        List<ImageData> images = new ArrayList<>();
        List<Box> all = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            if (skip.contains(i)) continue;
            images.add(image);
            all.add(boxes.get(i));
        }
        for (Extra e : extras) {
            images.add(decode(e.photo()));
            all.add(e.box());
        }
        for (int i = 0; i < all.size(); i++) {
            image = images.get(i);
            Box b = all.get(i);
            double side = CONTEXT * Math.max(b.w(), b.h());
            double x0 = b.x() + b.w() / 2 - side / 2, y0 = b.y() + b.h() / 2 - side / 2, k = SOURCE / side;
            crops.add(cropResized(image, x0, y0, side, SOURCE));
            cropBoxes.add(new double[] {(b.x() - x0) * k, (b.y() - y0) * k, b.w() * k, b.h() * k});
        }
        int people = crops.size();
        Path ids = out.resolve("identities"), gallery = out.resolve("gallery");
        Files.createDirectories(ids);
        Files.createDirectories(gallery);
        AugmentConfig config = augmentation(seed);
        SplittableRandom rng = new SplittableRandom(seed);
        int photos = 0;
        try (Writer idBoxes = Files.newBufferedWriter(ids.resolve("boxes.csv"), StandardCharsets.UTF_8);
             Writer galBoxes = Files.newBufferedWriter(gallery.resolve("boxes.csv"), StandardCharsets.UTF_8)) {
            idBoxes.write("image,x,y,w,h\n");
            galBoxes.write("image,x,y,w,h\n");
            for (int p = 0; p < people; p++) {
                String person = String.format(Locale.ROOT, "person-%02d", p + 1);
                double[] box = cropBoxes.get(p);
                byte[] src = crops.get(p);
                // gallery: the clean crop at the output size
                double g = (double) OUTPUT / SOURCE;
                writePng(gallery.resolve(person).resolve("clean.png"), resize(src, SOURCE, OUTPUT));
                galBoxes.write(String.format(Locale.ROOT, "%s/clean.png,%.2f,%.2f,%.2f,%.2f\n", person, box[0] * g, box[1] * g, box[2] * g, box[3] * g));

                byte[] batch = new byte[variants * src.length];
                long[] indices = new long[variants];
                for (int v = 0; v < variants; v++) {
                    System.arraycopy(src, 0, batch, v * src.length, src.length);
                    indices[v] = (long) p * variants + v;
                }
                ImageBatch in = new ImageBatch(variants, SOURCE, SOURCE, 3, batch);
                ImageBatch aug = ReferenceAugmenter.apply(config, in, 0, indices);
                BatchParams params = new ParamPlanner(config).plan(0, indices, SOURCE, SOURCE, 3);
                for (int v = 0; v < variants; v++) {
                    byte[] px = java.util.Arrays.copyOfRange(aug.pixels(), v * aug.imageBytes(), (v + 1) * aug.imageBytes());
                    if (rng.nextDouble() < 0.6) px = lowResolution(px, OUTPUT, 0.3 + 0.5 * rng.nextDouble());
                    String name = String.format(Locale.ROOT, "%s/v%02d.jpg", person, v + 1);
                    writeJpeg(ids.resolve(name), px, OUTPUT, (float) (0.3 + 0.6 * rng.nextDouble()));
                    double[] ob = moveBox(box, params.sourceAffine(v), OUTPUT);
                    idBoxes.write(String.format(Locale.ROOT, "%s,%.2f,%.2f,%.2f,%.2f\n", name, ob[0], ob[1], ob[2], ob[3]));
                    photos++;
                }
            }
        }
        writePairs(ids.resolve("pairs.csv"), people, variants, new SplittableRandom(seed + 1));
        return new Summary(people, photos);
    }

    /**
     * Verification pairs (a,b,same): each person's first photo against each of their others, and
     * as many different-person pairs (a random other person's random photo), so both classes weigh alike.
     */
    static void writePairs(Path file, int people, int variants, SplittableRandom rng) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("a,b,same\n");
            for (int p = 0; p < people; p++) {
                for (int v = 2; v <= variants; v++) w.write(String.format(Locale.ROOT, "person-%02d/v01.jpg,person-%02d/v%02d.jpg,1\n", p + 1, p + 1, v));
            }
            for (int p = 0; p < people; p++) {
                for (int v = 2; v <= variants; v++) {
                    int q = (p + 1 + rng.nextInt(people - 1)) % people;
                    w.write(String.format(Locale.ROOT, "person-%02d/v01.jpg,person-%02d/v%02d.jpg,0\n", p + 1, q + 1, 1 + rng.nextInt(variants)));
                }
            }
        }
    }

    private static ImageData decode(Path photo) throws IOException {
        try {
            return new ImageDecoder(ImageDecoder.Options.defaults()).decode(photo, photo.getFileName().toString()).image().withChannels(3);
        } catch (dev.clpipe.data.ImageRejectedException e) {
            throw new IOException(photo + ": " + e.getMessage(), e);
        }
    }

    /**
     * The source box's corners mapped into the output by inverting output→source
     * (sx = A x + B y + C, sy = D x + E y + F); the box around them, clipped to the image.
     */
    static double[] moveBox(double[] box, double[] a, int size) {
        double det = a[0] * a[4] - a[1] * a[3];
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int corner = 0; corner < 4; corner++) {
            double sx = box[0] + (corner % 2) * box[2] - a[2], sy = box[1] + (corner / 2) * box[3] - a[5];
            double x = (a[4] * sx - a[1] * sy) / det, y = (-a[3] * sx + a[0] * sy) / det;
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        minX = Math.max(0, minX);
        minY = Math.max(0, minY);
        maxX = Math.min(size, maxX);
        maxY = Math.min(size, maxY);
        return new double[] {minX, minY, maxX - minX, maxY - minY};
    }

    /** A square region (zero outside the image) scaled to {@code size} x {@code size} RGB. */
    static byte[] cropResized(ImageData img, double x0, double y0, double side, int size) {
        byte[] out = new byte[size * size * 3];
        double k = side / size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sx = x0 + (x + 0.5) * k - 0.5, sy = y0 + (y + 0.5) * k - 0.5;
                int ix = (int) Math.floor(sx), iy = (int) Math.floor(sy);
                double fx = sx - ix, fy = sy - iy;
                for (int c = 0; c < 3; c++) {
                    double v = (1 - fy) * ((1 - fx) * px(img, ix, iy, c) + fx * px(img, ix + 1, iy, c))
                            + fy * ((1 - fx) * px(img, ix, iy + 1, c) + fx * px(img, ix + 1, iy + 1, c));
                    out[(y * size + x) * 3 + c] = (byte) Math.round(v);
                }
            }
        }
        return out;
    }

    private static int px(ImageData img, int x, int y, int c) {
        return x < 0 || y < 0 || x >= img.width() || y >= img.height() ? 0 : img.get(x, y, c);
    }

    private static byte[] resize(byte[] rgb, int from, int to) {
        return cropResized(new ImageData(from, from, 3, rgb), 0, 0, from, to);
    }

    /** Down to {@code factor} of the size and back up (bilinear): a low-resolution camera or a far face. */
    static byte[] lowResolution(byte[] rgb, int size, double factor) {
        int small = Math.max(8, (int) Math.round(size * factor));
        return resize(resize(rgb, size, small), small, size);
    }

    private static BufferedImage image(byte[] rgb, int size) {
        return new ImageData(size, size, 3, rgb).toBufferedImage();
    }

    private static void writePng(Path file, byte[] rgb) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(image(rgb, OUTPUT), "png", file.toFile());
    }

    private static void writeJpeg(Path file, byte[] rgb, int size, float quality) throws IOException {
        Files.createDirectories(file.getParent());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality);
        try (ImageOutputStream os = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(os);
            writer.write(null, new IIOImage(image(rgb, size), null, null), p);
        } finally {
            writer.dispose();
        }
    }

    /**
     * {@code PHOTO GROUND_TRUTH OUT [VARIANTS=12] [SEED=42] [SKIP=0] [EXTRA...]}: skip = comma-separated
     * ground-truth boxes without a face; each EXTRA = {@code PATH:x,y,w,h} adds one person.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: IdentitySetBuilder PHOTO GROUND_TRUTH OUT [VARIANTS=12] [SEED=42] [SKIP=0]");
            System.exit(2);
        }
        int variants = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 42;
        List<Integer> skip = new ArrayList<>();
        for (String s : (args.length > 5 ? args[5] : "0").split(",")) if (!s.isBlank()) skip.add(Integer.parseInt(s.trim()));
        List<Extra> extras = new ArrayList<>();
        for (int i = 6; i < args.length; i++) extras.add(Extra.parse(args[i]));
        Summary s = build(Path.of(args[0]), Path.of(args[1]), skip, extras, variants, seed, Path.of(args[2]));
        System.out.println("identities: " + s.identities() + ", augmented photos: " + s.photos() + " -> " + args[2]);
    }
}
