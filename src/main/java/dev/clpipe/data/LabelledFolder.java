package dev.clpipe.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Labelled image files, in a stable order: a class per subfolder of {@code root} (sorted folder
 * names are the label ids) or the rows of a label list ({@link LabelList}). Each entry carries
 * its size and modification time, which key the decoded-sample cache. Only names and numbers are
 * held, never pixels.
 *
 * @param classes  class names; label i is classes.get(i)
 * @param warnings what a user should know but that does not stop training (empty class folders)
 */
public record LabelledFolder(Path root, List<String> classes, List<Entry> entries, List<String> warnings) {

    /** One labelled file: its root-relative name ('/' separators), where it is, its label, size and mtime. */
    public record Entry(String file, Path absolute, int label, long bytes, long modifiedMillis) {}

    public LabelledFolder {
        classes = List.copyOf(classes);
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
    }

    /**
     * The images of {@code root}, a class per subfolder; {@code classes} null means the sorted
     * subfolder names, else that list (a test folder labelled with the training folder's classes;
     * folders not in it are left out with a warning). Files directly in the root have no class and
     * are left out with a warning.
     */
    public static LabelledFolder classPerFolder(Path root, List<String> classes, Set<String> extensions, SkippedReport skipped) throws IOException {
        ImageFolderSource.Builder b = ImageFolderSource.builder(root).extensions(extensions).skipped(skipped);
        ImageFolderSource source = classes == null ? b.labels(true).build() : b.classes(classes).build();
        List<String> names = source.labels();
        if (names.isEmpty()) {
            throw new IOException(root + " has no class subfolders: expected ROOT/<class>/<image> (or train/ and test/ folders of them)");
        }
        int[] perClass = new int[names.size()];
        List<Entry> entries = new ArrayList<>();
        long unlabelled = 0;
        for (ImageRef ref : source) {
            if (ref.label() < 0) {
                unlabelled++;
                continue;
            }
            BasicFileAttributes a = Files.readAttributes(ref.absolute(), BasicFileAttributes.class);
            entries.add(new Entry(ref.name(), ref.absolute(), ref.label(), a.size(), a.lastModifiedTime().toMillis()));
            perClass[ref.label()]++;
        }
        List<String> warnings = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            if (perClass[c] == 0) warnings.add("class folder " + root.resolve(names.get(c)) + " holds no images");
        }
        if (unlabelled > 0) warnings.add(unlabelled + " image(s) in " + root + " are outside the class folders " + names + " and are left out");
        if (entries.isEmpty()) throw new IOException(root + " holds no images in its class folders " + names);
        return new LabelledFolder(source.root(), names, entries, warnings);
    }

    public int count() {
        return entries.size();
    }

    /** {@code n} entries spread evenly over this folder (its order is by class, so the first n would be one class); all when n <= 0 or >= count. */
    public LabelledFolder spread(int n) {
        if (n <= 0 || n >= count()) return this;
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(entries.get((int) ((long) i * count() / n)));
        return new LabelledFolder(root, classes, out, warnings);
    }

    /** The entries that pass {@code keep}, same classes. */
    public LabelledFolder filter(Predicate<Entry> keep) {
        return new LabelledFolder(root, classes, entries.stream().filter(keep).toList(), warnings);
    }
}
