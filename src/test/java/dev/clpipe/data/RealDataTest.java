package dev.clpipe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Runs on the datasets fetched by {@code datasets/fetch-*.sh} when CLPIPE_DATA names their DEST
 * folder (e.g. {@code CLPIPE_DATA=$PWD/data mvn test}); skipped otherwise.
 */
@EnabledIfEnvironmentVariable(named = "CLPIPE_DATA", matches = ".+")
class RealDataTest {
    private final Path data = Path.of(System.getenv("CLPIPE_DATA"));

    @Test
    void mnistAndFashionMnistParse() throws Exception {
        for (String set : new String[] {"mnist", "fashion-mnist"}) {
            Path dir = data.resolve(set);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            String gz = set.equals("mnist") ? "" : ".gz";
            IdxReader.Labelled train = IdxReader.readLabelled(dir.resolve("train-images-idx3-ubyte" + gz),
                    dir.resolve("train-labels-idx1-ubyte" + gz));
            IdxReader.Labelled test = IdxReader.readLabelled(dir.resolve("t10k-images-idx3-ubyte" + gz),
                    dir.resolve("t10k-labels-idx1-ubyte" + gz));
            assertEquals(60_000, train.count(), set);
            assertEquals(10_000, test.count(), set);
            assertEquals(28, train.image(0).width());
            for (int i = 0; i < train.count(); i++) {
                assertTrue(train.label(i) <= 9);
            }
        }
    }

    @Test
    void sampleAnnotationsParse() throws Exception {
        Path visp = data.resolve("photos/visp/ground_truth_detection.txt");
        if (Files.exists(visp)) {
            List<Box> faces = Annotations.readVispDetections(visp);
            assertEquals(30, faces.size());
            assertTrue(faces.stream().allMatch(b -> b.x() + b.w() <= 1280 && b.y() + b.h() <= 926));
        }
        Path darknet = data.resolve("photos/darknet");
        if (Files.isDirectory(darknet)) {
            assertEquals(80, Annotations.readClassNames(darknet.resolve("coco.names")).size());
            assertEquals(20, Annotations.readClassNames(darknet.resolve("voc.names")).size());
            assertEquals(9418, Annotations.readClassNames(darknet.resolve("9k.names")).size());
        }
    }

    @Test
    void everyFetchedPhotoDecodesExceptSkimagesTruncatedSample() throws Exception {
        Path photos = data.resolve("photos");
        if (!Files.isDirectory(photos)) {
            return;
        }
        SkippedReport skipped = new SkippedReport();
        ImageDecoder decoder = new ImageDecoder();
        int ok = 0;
        for (ImageRef ref : ImageFolderSource.builder(photos).labels(true).skipped(skipped).build()) {
            try {
                decoder.decode(ref.absolute(), ref.name());
                ok++;
            } catch (ImageRejectedException e) {
                skipped.add(e);
            }
        }
        System.out.println("decoded " + ok + " photos; " + skipped.summary());
        skipped.entries().forEach(e -> System.out.println("  " + e));
        assertTrue(ok > 100, "decoded only " + ok);
        assertTrue(skipped.entries().stream().allMatch(e -> e.file().equals("skimage/truncated.jpg")),
                "unexpected skips: " + skipped.entries());
    }
}
