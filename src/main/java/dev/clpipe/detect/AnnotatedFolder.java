package dev.clpipe.detect;

import dev.clpipe.data.Annotations;
import dev.clpipe.data.HeldOut;
import dev.clpipe.data.ImageFolderSource;
import dev.clpipe.data.ImageRef;
import dev.clpipe.data.LabelledFolder;
import dev.clpipe.data.SkippedReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder of images with box annotations in one format, split into train and test, as detection
 * training reads it. Formats (auto: the first that fits):
 * <ul>
 *   <li>{@code coco}: one JSON file in the split folder ({@code annotations.json}, or the only
 *       {@code .json}); {@code file_name} is relative to the split folder (or its {@code images/});
 *       classes in category-id order;</li>
 *   <li>{@code yolo}: a {@code .txt} per image, beside it or with the last {@code images} folder of
 *       its path read as {@code labels}; class names one a line in {@code classes.names},
 *       {@code obj.names} or {@code classes.txt} (split folder, its {@code labels/}, or the data
 *       root); an image without a
 *       label file has no objects (a background image);</li>
 *   <li>{@code voc}: an {@code .xml} per image, beside it or with the last {@code JPEGImages}
 *       folder read as {@code Annotations}; classes the sorted names found, unless given.</li>
 * </ul>
 * Splits: {@code ROOT/train} and {@code ROOT/test} (each in the layout above), or ROOT alone with a
 * test fraction held out by {@link HeldOut#position} of each image's relative path. Images are in
 * relative-path order. An annotation naming a missing image, or a label file whose image is
 * missing, stops with an {@link IOException} naming the first few; a malformed line or element
 * with an {@link AnnotationFormatException} naming file and line (from the readers). Only names
 * and boxes are held, never pixels; YOLO label files are read once the image size is known
 * ({@link Split#objects}).
 */
public final class AnnotatedFolder {
    /** Annotation formats. */
    public enum Format {
        AUTO, YOLO, VOC, COCO;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final List<String> NAME_FILES = List.of("classes.names", "obj.names", "classes.txt");
    private static final int NAMED = 5;

    /**
     * One split's images (label 0: a detection image has no single class) and for each its
     * annotation: a read image (COCO, VOC) or a YOLO label file (null: no objects).
     */
    public record Split(LabelledFolder images, List<AnnotatedImage> known, List<Path> yoloFiles, YoloTxtReader yolo, List<String> classes) {
        public int count() {
            return images.count();
        }

        /**
         * The objects of image {@code entry}, whose decoded size is {@code width x height}: boxes in
         * its pixels. A box reaching more than a pixel beyond the image, a declared size other than
         * the decoded one, or a label outside the classes is an {@link AnnotationFormatException}
         * naming where the annotation says it.
         */
        public AnnotatedImage objects(int entry, int width, int height) throws IOException {
            String name = images.entries().get(entry).file();
            if (yolo != null) {
                Path txt = yoloFiles.get(entry);
                return txt == null ? new AnnotatedImage(name, width, height, List.of()) : yolo.read(txt, name, width, height);
            }
            AnnotatedImage a = known.get(entry);
            if ((a.width() > 0 && a.width() != width) || (a.height() > 0 && a.height() != height)) {
                throw new AnnotationFormatException((a.objects().isEmpty() ? name : a.where(0).replaceFirst(": [^:]*$", "")) + ": image " + name
                        + " is declared " + a.width() + "x" + a.height() + " but decodes to " + width + "x" + height);
            }
            for (int i = 0; i < a.objects().size(); i++) {
                Box b = a.objects().get(i).box();
                if (b.x1() < -1 || b.y1() < -1 || b.x2() > width + 1 || b.y2() > height + 1) {
                    throw new AnnotationFormatException(a.where(i) + String.format(Locale.ROOT, ": box [%.1f, %.1f, %.1f, %.1f] reaches outside the %dx%d image %s",
                            b.x1(), b.y1(), b.x2(), b.y2(), width, height, name));
                }
                if (!classes.contains(a.objects().get(i).label())) {
                    throw new AnnotationFormatException(a.where(i) + ": label '" + a.objects().get(i).label() + "' is not one of the classes " + classes);
                }
            }
            List<Annotation> clipped = a.objects().stream()
                    .map(o -> new Annotation(o.label(), o.box().clip(width, height), o.ignore(), o.crowd())).toList();
            return new AnnotatedImage(name, width, height, clipped, a.where());
        }
    }

    /** The train and test splits, their format and layout, and what a user should know. */
    public record Splits(Format format, String layout, List<String> classes, Split train, Split test, List<String> warnings) {
    }

    private AnnotatedFolder() {
    }

    /**
     * Reads {@code root} in {@code format}; {@code classes} empty for the classes the annotations
     * show, else that list (its order is the class index order).
     */
    public static Splits read(Path root, Format format, List<String> classes, double testFraction, Set<String> extensions, SkippedReport skipped)
            throws IOException {
        if (!Files.isDirectory(root)) throw new IOException("data folder " + root + " does not exist or is not a folder");
        root = root.toAbsolutePath().normalize();
        if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        Path train = root.resolve("train"), test = root.resolve("test");
        boolean folders = Files.isDirectory(train);
        Format f = format == Format.AUTO ? detect(folders ? train : root, root) : format;
        List<String> warnings = new ArrayList<>();
        Part trainPart = part(folders ? train : root, root, f, extensions, skipped, warnings);
        Part testPart = folders && Files.isDirectory(test) ? part(test, root, f, extensions, skipped, warnings) : null;
        List<String> names = classes.isEmpty() ? classes(f, trainPart, testPart) : List.copyOf(classes);
        if (testPart == null) {
            String layout = (folders ? "train/ folder" : "one folder") + ", test held out by path hash";
            return new Splits(f, layout, names, trainPart.filter("train", e -> HeldOut.position(e) >= testFraction, names),
                    trainPart.filter("test (held out by path hash: add images, raise the test fraction or give a test/ folder)",
                            e -> HeldOut.position(e) < testFraction, names), warnings);
        }
        return new Splits(f, "train/ and test/ folders", names, trainPart.filter("train", e -> true, names), testPart.filter("test", e -> true, names), warnings);
    }

    /** A split folder as read: entries (relative-path order) and what annotates each. */
    private record Part(Path root, List<LabelledFolder.Entry> entries, List<AnnotatedImage> known, List<Path> yoloFiles, List<String> names) {
        Split filter(String split, java.util.function.Predicate<String> keep, List<String> classes) throws IOException {
            List<LabelledFolder.Entry> e = new ArrayList<>();
            List<AnnotatedImage> k = known == null ? null : new ArrayList<>();
            List<Path> y = yoloFiles == null ? null : new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (!keep.test(entries.get(i).file())) continue;
                e.add(entries.get(i));
                if (k != null) k.add(known.get(i));
                if (y != null) y.add(yoloFiles.get(i));
            }
            if (e.isEmpty()) throw new IOException(root + ": the " + split + " split holds no images");
            YoloTxtReader reader = yoloFiles == null ? null : new YoloTxtReader(classes);
            return new Split(new LabelledFolder(root, classes, e, List.of()), k == null ? null : List.copyOf(k),
                    y == null ? null : java.util.Collections.unmodifiableList(y), reader, classes);
        }
    }

    private static Format detect(Path split, Path root) throws IOException {
        if (cocoFile(split).isPresent()) return Format.COCO;
        if (namesFile(split, root).isPresent()) return Format.YOLO;
        try (Stream<Path> s = Files.walk(split)) {
            if (s.anyMatch(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml"))) return Format.VOC;
        }
        throw new IOException(split + ": no annotations found: expected a COCO JSON file (annotations.json), a YOLO class-name file ("
                + String.join(", ", NAME_FILES) + ") with a .txt per image, or VOC .xml files");
    }

    private static Part part(Path split, Path root, Format f, Set<String> extensions, SkippedReport skipped, List<String> warnings) throws IOException {
        return switch (f) {
            case COCO -> coco(split);
            case YOLO -> yolo(split, root, extensions, skipped, warnings);
            case VOC -> voc(split, extensions, skipped, warnings);
            case AUTO -> throw new IllegalArgumentException("format must be detected first");
        };
    }

    private static Part coco(Path split) throws IOException {
        Path json = cocoFile(split).orElseThrow(() -> new IOException(split + ": no COCO annotation file (annotations.json, or one .json file)"));
        CocoJsonReader.Contents c = CocoJsonReader.readContents(json);
        List<String[]> missing = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < c.images().size(); i++) {
            AnnotatedImage a = c.images().get(i);
            Path file = split.resolve(a.image()).normalize();
            if (!Files.isRegularFile(file)) file = split.resolve("images").resolve(a.image()).normalize();
            if (!file.startsWith(split.normalize()) || !Files.isRegularFile(file)) {
                missing.add(new String[] {a.image(), "images[" + i + "]"});
                continue;
            }
            rows.add(new Object[] {file, a});
        }
        if (!missing.isEmpty()) {
            throw new IOException(json + " names " + missing.size() + " image(s) missing under " + split + ": "
                    + String.join(", ", missing.stream().limit(NAMED).map(m -> m[0] + " (" + m[1] + ")").toList()) + (missing.size() > NAMED ? ", ..." : ""));
        }
        rows.sort(Comparator.comparing(r -> split.relativize((Path) r[0]).toString().replace('\\', '/')));
        List<LabelledFolder.Entry> entries = new ArrayList<>();
        List<AnnotatedImage> known = new ArrayList<>();
        for (Object[] r : rows) {
            entries.add(entry(split, (Path) r[0]));
            known.add((AnnotatedImage) r[1]);
        }
        return new Part(split, entries, known, null, c.categories());
    }

    private static Part yolo(Path split, Path root, Set<String> extensions, SkippedReport skipped, List<String> warnings) throws IOException {
        Path names = namesFile(split, root).orElseThrow(() -> new IOException(split + ": YOLO labels need class names, one a line, in "
                + split.resolve("classes.names") + " (or obj.names, classes.txt)"));
        List<LabelledFolder.Entry> entries = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Set<Path> used = new HashSet<>();
        int background = 0;
        for (ImageRef ref : ImageFolderSource.builder(split).extensions(extensions).skipped(skipped).build()) {
            Path txt = beside(split.resolve(ref.relative()).normalize(), "images", "labels", ".txt");
            if (txt == null) background++;
            else used.add(txt.normalize());
            entries.add(entry(split, split.resolve(ref.relative()).normalize()));
            files.add(txt);
        }
        if (entries.isEmpty()) throw new IOException(split + " holds no images (" + String.join(", ", new TreeSet<>(extensions)) + ")");
        Set<Path> nameFiles = new HashSet<>();
        for (String n : NAME_FILES) {
            for (Path dir : List.of(split, split.resolve("labels"), root)) nameFiles.add(dir.resolve(n).normalize());
        }
        orphans(split, ".txt", used, "labels", nameFiles, "label file");
        if (background > 0) warnings.add(background + " image(s) in " + split + " have no label file and count as images without objects");
        return new Part(split, entries, null, files, Annotations.readClassNames(names));
    }

    private static Part voc(Path split, Set<String> extensions, SkippedReport skipped, List<String> warnings) throws IOException {
        List<LabelledFolder.Entry> entries = new ArrayList<>();
        List<AnnotatedImage> known = new ArrayList<>();
        Set<Path> used = new HashSet<>();
        int background = 0;
        for (ImageRef ref : ImageFolderSource.builder(split).extensions(extensions).skipped(skipped).build()) {
            Path xml = beside(split.resolve(ref.relative()).normalize(), "JPEGImages", "Annotations", ".xml");
            AnnotatedImage a;
            if (xml == null) {
                background++;
                a = new AnnotatedImage(ref.name(), 0, 0, List.of());
            } else {
                used.add(xml.normalize());
                a = VocXmlReader.read(xml);
            }
            entries.add(entry(split, split.resolve(ref.relative()).normalize()));
            known.add(a);
        }
        if (entries.isEmpty()) throw new IOException(split + " holds no images (" + String.join(", ", new TreeSet<>(extensions)) + ")");
        orphans(split, ".xml", used, "Annotations", Set.of(), "annotation file");
        if (background > 0) warnings.add(background + " image(s) in " + split + " have no annotation file and count as images without objects");
        TreeSet<String> labels = new TreeSet<>();
        known.forEach(a -> a.objects().forEach(o -> labels.add(o.label())));
        return new Part(split, entries, known, null, List.copyOf(labels));
    }

    /** Class names: COCO and YOLO from their files (train's); VOC the sorted union of both splits' labels. */
    private static List<String> classes(Format f, Part train, Part test) throws IOException {
        if (f != Format.VOC) return train.names();
        TreeSet<String> all = new TreeSet<>(train.names());
        if (test != null) all.addAll(test.names());
        if (all.isEmpty()) throw new IOException(train.root() + ": the VOC annotations name no objects");
        return List.copyOf(all);
    }

    /** The annotation file of {@code image}: the last {@code imagesDir} folder of its path as {@code labelsDir}, else beside it; null if neither exists. */
    private static Path beside(Path image, String imagesDir, String labelsDir, String extension) {
        String stem = image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        for (Path dir = image.getParent(), rest = Path.of(""); dir != null && dir.getFileName() != null; rest = dir.getFileName().resolve(rest), dir = dir.getParent()) {
            if (dir.getFileName().toString().equals(imagesDir)) {
                Path candidate = dir.resolveSibling(labelsDir).resolve(rest).resolve(stem + extension);
                if (Files.isRegularFile(candidate)) return candidate;
                break;
            }
        }
        Path same = image.resolveSibling(stem + extension);
        return Files.isRegularFile(same) ? same : null;
    }

    /**
     * Annotation files under {@code split} that no image uses, in a {@code labelsDir} folder or
     * beside used ones (other files, notes say, are not annotations): an IOException naming the first few.
     */
    private static void orphans(Path split, String extension, Set<Path> used, String labelsDir, Set<Path> exempt, String what) throws IOException {
        Set<Path> dirs = new HashSet<>();
        used.forEach(p -> dirs.add(p.getParent()));
        List<String> found;
        try (Stream<Path> s = Files.walk(split)) {
            found = s.map(Path::normalize).filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(extension) && Files.isRegularFile(p))
                    .filter(p -> !used.contains(p) && !exempt.contains(p))
                    .filter(p -> dirs.contains(p.getParent()) || p.getParent().getFileName().toString().equals(labelsDir))
                    .map(p -> split.relativize(p).toString()).sorted().toList();
        }
        if (!found.isEmpty()) {
            throw new IOException(split + ": " + found.size() + " " + what + "(s) name a missing image: " + String.join(", ", found.subList(0, Math.min(NAMED, found.size())))
                    + (found.size() > NAMED ? ", ..." : "") + " (no image of the same name beside it, or in images/ for labels/)");
        }
    }

    private static Optional<Path> cocoFile(Path split) throws IOException {
        Path standard = split.resolve("annotations.json");
        if (Files.isRegularFile(standard)) return Optional.of(standard);
        try (Stream<Path> s = Files.list(split)) {
            List<Path> json = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") && Files.isRegularFile(p)).toList();
            return json.size() == 1 ? Optional.of(json.get(0)) : Optional.empty();
        }
    }

    private static Optional<Path> namesFile(Path split, Path root) {
        for (Path dir : List.of(split, split.resolve("labels"), root)) {
            for (String n : NAME_FILES) {
                if (Files.isRegularFile(dir.resolve(n))) return Optional.of(dir.resolve(n));
            }
        }
        return Optional.empty();
    }

    private static LabelledFolder.Entry entry(Path split, Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        String name = split.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        return new LabelledFolder.Entry(name, file, 0, a.size(), a.lastModifiedTime().toMillis());
    }
}
