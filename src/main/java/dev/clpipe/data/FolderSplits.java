package dev.clpipe.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Train, validation and test sets of a labelled folder. Layouts, in this order:
 * <ul>
 *   <li>a label list ({@code list}: CSV or JSONL, see {@link LabelList}): held-out fractions;</li>
 *   <li>{@code ROOT/train/<class>/...} with {@code ROOT/test/} (and {@code ROOT/val/} or
 *       {@code ROOT/validation/}) labelled with train's classes; a missing test or validation
 *       folder is a held-out fraction of train;</li>
 *   <li>{@code ROOT/<class>/...}: held-out fractions.</li>
 * </ul>
 * A held-out file is chosen by {@link HeldOut#position} of its relative path: test below
 * {@code testFraction}, validation below {@code testFraction + validationFraction}.
 */
public record FolderSplits(String layout, List<String> classes, LabelledFolder train, LabelledFolder validation, LabelledFolder test) {

    /** {@code classes}: null for the classes the data shows, else that list (the classes a checkpoint was trained with). */
    public static FolderSplits read(Path root, Optional<Path> list, double testFraction, double validationFraction, Set<String> extensions,
                                    SkippedReport skipped, List<String> classes) throws IOException {
        if (testFraction < 0 || validationFraction < 0 || testFraction + validationFraction >= 1) {
            throw new IllegalArgumentException("held-out fractions must be >= 0 and sum below 1, got test " + testFraction + ", validation " + validationFraction);
        }
        if (!Files.isDirectory(root)) throw new IOException("data folder " + root + " does not exist or is not a folder");
        if (list.isPresent()) {
            return heldOut("label list " + list.get().getFileName(), LabelList.read(list.get(), root), testFraction, validationFraction);
        }
        Path trainDir = root.resolve("train");
        if (!Files.isDirectory(trainDir)) {
            return heldOut("class folders", LabelledFolder.classPerFolder(root, classes, extensions, skipped), testFraction, validationFraction);
        }
        LabelledFolder all = LabelledFolder.classPerFolder(trainDir, classes, extensions, skipped);
        Optional<LabelledFolder> test = folder(root, List.of("test"), all.classes(), extensions, skipped);
        Optional<LabelledFolder> val = folder(root, List.of("val", "validation"), all.classes(), extensions, skipped);
        double t = test.isPresent() ? 0 : testFraction;
        double v = val.isPresent() ? 0 : validationFraction;
        LabelledFolder train = all.filter(e -> HeldOut.position(e.file()) >= t + v);
        String layout = "train/" + (test.isPresent() ? " test/" : "") + (val.isPresent() ? " validation/" : "") + " folders";
        return new FolderSplits(layout, all.classes(), train,
                val.orElseGet(() -> all.filter(e -> inRange(e, t, t + v))), test.orElseGet(() -> all.filter(e -> inRange(e, 0, t))));
    }

    private static FolderSplits heldOut(String layout, LabelledFolder all, double t, double v) {
        return new FolderSplits(layout + ", held out by path hash", all.classes(), all.filter(e -> HeldOut.position(e.file()) >= t + v),
                all.filter(e -> inRange(e, t, t + v)), all.filter(e -> inRange(e, 0, t)));
    }

    private static boolean inRange(LabelledFolder.Entry e, double from, double to) {
        double p = HeldOut.position(e.file());
        return p >= from && p < to;
    }

    private static Optional<LabelledFolder> folder(Path root, List<String> names, List<String> classes, Set<String> extensions,
                                                   SkippedReport skipped) throws IOException {
        for (String n : names) {
            Path dir = root.resolve(n);
            if (Files.isDirectory(dir)) return Optional.of(LabelledFolder.classPerFolder(dir, classes, extensions, skipped));
        }
        return Optional.empty();
    }

    /** Warnings of every part, once each. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (LabelledFolder f : List.of(train, validation, test)) f.warnings().forEach(w -> { if (!out.contains(w)) out.add(w); });
        return out;
    }
}
