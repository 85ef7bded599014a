package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labelled folders and label lists as train/validation/test splits: classes, warnings, missing files, stable held-out splits. */
class FolderSplitsTest {
    private static final Set<String> EXTS = ImageFolderSource.DEFAULT_EXTENSIONS;

    @Test
    void classPerFolderGivesSortedClassesAndWarnsOfAnEmptyOne(@TempDir Path dir) throws IOException {
        TinyLabelledFolder.write(dir, 4, 1);
        LabelledFolder f = LabelledFolder.classPerFolder(dir, null, EXTS, new SkippedReport());
        assertEquals(List.of("bottom", "left", "top", "zempty"), f.classes());
        assertEquals(13, f.count(), "4 per class + the corrupt file (the decoder refuses it later)");
        assertTrue(f.warnings().stream().anyMatch(w -> w.contains("zempty") && w.contains("no images")), f.warnings().toString());
        assertTrue(f.entries().stream().allMatch(e -> e.bytes() > 0 && e.modifiedMillis() > 0));
    }

    @Test
    void heldOutSplitsDoNotMoveOldFilesWhenFilesAreAdded(@TempDir Path dir) throws IOException {
        TinyLabelledFolder.write(dir, 30, 2);
        Map<String, String> before = splitOf(FolderSplits.read(dir, Optional.empty(), 0.2, 0.1, EXTS, new SkippedReport(), null));
        assertTrue(before.containsValue("test") && before.containsValue("validation") && before.containsValue("train"));
        Random r = new Random(3);
        for (int i = 0; i < 25; i++) TinyLabelledFolder.image(dir.resolve("left"), "added" + i, 1, i % 3, r);
        Map<String, String> after = splitOf(FolderSplits.read(dir, Optional.empty(), 0.2, 0.1, EXTS, new SkippedReport(), null));
        assertEquals(before.size() + 25, after.size());
        before.forEach((file, split) -> assertEquals(split, after.get(file), file));
    }

    @Test
    void trainAndTestFoldersAreUsedAsGivenWithTrainsClasses(@TempDir Path dir) throws IOException {
        TinyLabelledFolder.write(dir.resolve("train"), 5, 4);
        Files.createDirectories(dir.resolve("test"));
        TinyLabelledFolder.image(Files.createDirectories(dir.resolve("test/top")), "t0", 2, 0, new Random(1));
        FolderSplits s = FolderSplits.read(dir, Optional.empty(), 0.1, 0, EXTS, new SkippedReport(), null);
        assertEquals(16, s.train().count());
        assertEquals(1, s.test().count());
        assertEquals(s.classes().indexOf("top"), s.test().entries().get(0).label());
    }

    @Test
    void aLabelListNamingMissingFilesNamesTheFirstFewWithTheirLines(@TempDir Path dir) throws IOException {
        TinyLabelledFolder.write(dir, 2, 5);
        Path list = dir.resolve("labels.csv");
        Files.writeString(list, "file,label\ntop/top0.png,top\nnope1.png,top\nleft/left1.jpg,left\nnope2.png,left\n");
        IOException e = assertThrows(IOException.class, () -> LabelList.read(list, dir));
        assertTrue(e.getMessage().contains("2 file(s) missing") && e.getMessage().contains("nope1.png (line 3)")
                && e.getMessage().contains("nope2.png (line 5)"), e.getMessage());
        Files.writeString(list, "top/top0.png,top\nleft/left1.jpg,left\n\"bottom/bottom0.png\",bottom\n");
        LabelledFolder f = LabelList.read(list, dir);
        assertEquals(List.of("bottom", "left", "top"), f.classes());
        assertEquals(List.of(2, 1, 0), f.entries().stream().map(LabelledFolder.Entry::label).toList());
        Path jsonl = dir.resolve("labels.jsonl");
        Files.writeString(jsonl, "{\"file\": \"top/top1.jpg\", \"label\": 7}\n{\"file\": \"left/left0.png\", \"label\": 10}\n");
        assertEquals(List.of("7", "10"), LabelList.read(jsonl, dir).classes(), "integer labels sort as numbers");
    }

    private static Map<String, String> splitOf(FolderSplits s) {
        Map<String, String> m = new HashMap<>();
        s.train().entries().forEach(e -> m.put(e.file(), "train"));
        s.validation().entries().forEach(e -> m.put(e.file(), "validation"));
        s.test().entries().forEach(e -> m.put(e.file(), "test"));
        return m;
    }
}
