package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.CsvSink;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageDecoder;
import dev.clpipe.data.ImageFolderSource;
import dev.clpipe.data.ImageRef;
import dev.clpipe.data.ImageRejectedException;
import dev.clpipe.detect.Detection;
import dev.clpipe.detect.face.FaceDetector;
import dev.clpipe.detect.face.FaceDetectorOptions;
import dev.clpipe.face.align.EmbeddedFace;
import dev.clpipe.face.align.FaceBox;
import dev.clpipe.face.align.FaceEmbedder;
import dev.clpipe.face.align.ImageFaces;
import dev.clpipe.face.align.RgbImage;
import dev.clpipe.face.search.Gallery;
import dev.clpipe.face.verify.Verifier;
import dev.clpipe.pipeline.InputPaths;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Stage;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code type: face-recognize}: 1:K recognition. At start, enrols a gallery folder with one
 * subfolder per person (one photo each suffices): the best face of every photo (detected, or the
 * whole image for folders of crops) is embedded with the same settings as face-embed. Every face
 * of the stream (after face-embed) gets the nearest identity, or {@code unknown} when it is not
 * within the threshold; written to {@code recognitions.csv} ({@code image,face,identity,distance}).
 * With {@code identities: folders} the stream's first subfolder names the true person and
 * metrics.json {@code recognition} holds top-1 accuracy (unknown counts as wrong).
 */
public final class FaceRecognizeStage implements StageType {
    private final FaceEmbedStage.NetsProvider provider;

    public FaceRecognizeStage(FaceEmbedStage.NetsProvider provider) {
        this.provider = provider;
    }

    @Override
    public String name() {
        return "face-recognize";
    }

    @Override
    public String summary() {
        return "1:K recognition against a gallery folder (a subfolder per person); writes recognitions.csv";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        Path gallery = InputPaths.folder(s, "gallery", s.describe("gallery", "folder with a subfolder per person").path("gallery"), null);
        double threshold = s.describe("threshold", "unknown above this distance").doubleIn("threshold", 1e-6, 10, Verifier.FACE_API_THRESHOLD);
        String boxes = s.describe("gallery_boxes", "detect (tiny face detector), whole-image (face crops) or a boxes CSV image,x,y,w,h")
                .string("gallery_boxes", "detect");
        Path boxesCsv = boxes.equals("detect") || boxes.equals("whole-image") ? null : InputPaths.file(s, "gallery_boxes", s.path("gallery_boxes"), null);
        boolean scored = s.describe("identities", "folders: score against the stream's person subfolders")
                .choice("identities", List.of("none", "folders"), "none").equals("folders");
        FaceEmbedStage.Settings settings = FaceEmbedStage.read(s);
        return new StagePlan.OfStage(id, name(), context -> {
            Map<String, List<FaceBox>> given = boxesCsv == null ? null : dev.clpipe.face.io.BoxesCsv.read(boxesCsv);
            Gallery g = enroll(context, gallery, boxes.equals("detect"), given, settings, threshold);
            CsvSink out = new CsvSink(context.runFolder().file("recognitions.csv"), List.of("image", "face", "identity", "distance"), true);
            AtomicLong faces = new AtomicLong(), known = new AtomicLong(), right = new AtomicLong();
            return new Stage() {
                @Override
                public List<Item> process(List<Item> batch) throws Exception {
                    for (Item item : batch) {
                        ImageFaces f = item.find(ImageFaces.class).orElse(null);
                        if (f == null) continue;
                        for (int i = 0; i < f.faces().size(); i++) {
                            Gallery.Match m = g.recognize(f.faces().get(i).descriptor());
                            String who = m.known() ? m.identity() : "unknown";
                            out.row(item.id(), i, who, String.format(Locale.ROOT, "%.4f", m.distance()));
                            faces.incrementAndGet();
                            if (m.known()) known.incrementAndGet();
                            int slash = item.id().indexOf('/');
                            if (scored && slash > 0 && item.id().substring(0, slash).equals(who)) right.incrementAndGet();
                        }
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("gallery_identities", g.identities());
                    m.put("faces", faces.get());
                    m.put("known", known.get());
                    m.put("threshold", threshold);
                    if (scored) m.put("top1_accuracy", faces.get() == 0 ? 0.0 : (double) right.get() / faces.get());
                    context.metrics().put("recognition", m);
                    return batch;
                }

                @Override
                public void close() throws Exception {
                    out.close();
                }
            };
        }, true);
    }

    /** Embeds the best face of each gallery photo; photos without a face are skipped and reported. */
    private Gallery enroll(StageContext context, Path folder, boolean detect, Map<String, List<FaceBox>> given,
                           FaceEmbedStage.Settings settings, double threshold) throws Exception {
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.Options.defaults());
        Gallery g = new Gallery(128, threshold);
        try (FaceEmbedder embedder = FaceEmbedStage.open(provider, context.device(), settings);
             FaceDetector detector = detect ? FaceDetector.open(context.device(), settings.models(), FaceDetectorOptions.DEFAULT) : null) {
            ImageFolderSource source = ImageFolderSource.builder(folder).skipped(context.skipped()).build();
            for (ImageRef ref : source) {
                String name = ref.name();
                int slash = name.indexOf('/');
                if (slash <= 0) {
                    context.skipped().add("gallery/" + name, "gallery-layout", "gallery photos must sit in a subfolder per person");
                    continue;
                }
                ImageData img;
                try {
                    img = decoder.decode(ref.absolute(), name).image().withChannels(3);
                } catch (ImageRejectedException e) {
                    context.skipped().add(e);
                    continue;
                }
                List<FaceBox> boxes = new ArrayList<>();
                if (given != null) {
                    boxes.addAll(given.getOrDefault(name, List.of()));
                } else if (detect) {
                    for (Detection d : detector.detect(img)) {
                        double[] b = d.box().toTopLeft();
                        if (b[2] > 0 && b[3] > 0) boxes.add(new FaceBox(b[0], b[1], b[2], b[3], d.score()));
                    }
                } else {
                    boxes.add(new FaceBox(0, 0, img.width(), img.height(), 1));
                }
                List<EmbeddedFace> faces = embedder.embed(RgbImage.of(img), boxes).faces();
                if (faces.isEmpty()) {
                    context.skipped().add("gallery/" + name, "no-face", "no face found in the gallery photo");
                    continue;
                }
                EmbeddedFace best = faces.stream().max((p, q) -> Double.compare(p.box().score(), q.box().score())).get();
                g.enroll(name.substring(0, slash), best.descriptor());
            }
        }
        if (g.size() == 0) throw new IllegalArgumentException("gallery " + folder + " has no usable face photo (a subfolder per person expected)");
        return g;
    }
}
