package dev.clpipe.pipeline.stages;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.parallel.DevicePool;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.JsonlSink;
import dev.clpipe.detect.Detection;
import dev.clpipe.detect.face.FaceDetections;
import dev.clpipe.face.align.EmbeddedFace;
import dev.clpipe.face.align.FaceBoxes;
import dev.clpipe.face.align.FaceEmbedder;
import dev.clpipe.face.align.FaceNet;
import dev.clpipe.face.align.ImageFaces;
import dev.clpipe.face.align.RgbImage;
import dev.clpipe.face.align.Thumbnails;
import dev.clpipe.face.io.FaceRecord;
import dev.clpipe.face.io.FacesJsonl;
import dev.clpipe.face.nets.DeviceFaceNet;
import dev.clpipe.face.nets.EmbedderModel;
import dev.clpipe.nn.io.FaceApiModels;
import dev.clpipe.pipeline.InputPaths;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Placement;
import dev.clpipe.pipeline.Stage;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code type: face-embed}: for each face box of an image (from detect-faces or face-boxes), the
 * 68 landmarks, the dlib-style descriptor crop and its descriptor (face-api's 128-D net, or the
 * imported embedder {@code model:} names);
 * attaches {@link ImageFaces} and writes one {@code faces.jsonl} line per face. Images without
 * faces pass on with none; tiny faces and faces whose crop falls outside the image are listed in
 * {@code faces-rejected.csv}; counts go to metrics.json ({@code faces}).
 */
public final class FaceEmbedStage implements StageType {
    /** Opens the landmark and descriptor nets (index 0 and 1) on one OpenCL device. */
    @FunctionalInterface
    public interface NetsProvider {
        FaceNet[] open(ClContext device, Settings settings) throws Exception;
    }

    /** face-api's landmark net and the configured descriptor net on {@code device}. */
    public static final NetsProvider DEVICE = (device, settings) -> {
        var landmarks = DeviceFaceNet.landmarks(device, settings.models());
        try {
            FaceNet descriptor = settings.model().imported()
                    ? DeviceFaceNet.embedder(device, settings.model(), settings.humanModels())
                    : DeviceFaceNet.recognition(device, settings.models());
            return new FaceNet[] {landmarks, descriptor};
        } catch (Exception e) {
            landmarks.close();
            throw e;
        }
    };

    private final NetsProvider provider;

    public FaceEmbedStage(NetsProvider provider) {
        this.provider = provider;
    }

    @Override
    public String name() {
        return "face-embed";
    }

    @Override
    public String summary() {
        return "landmarks + dlib-aligned 128-D descriptors per face box; writes faces.jsonl";
    }

    /** The keys shared with stages that embed images of their own (face-recognize's gallery). */
    public record Settings(Path models, EmbedderModel model, Path humanModels, boolean mirrorAverage, int minFaceSize, int thumbnail) {}

    /** The descriptor net a face stage uses unless {@code model:} names another (docs/face-clustering.md, "Embedders"). */
    public static final EmbedderModel DEFAULT_MODEL = EmbedderModel.FACERES;

    public static Settings read(ConfigSection s) {
        Path models = s.describe("models", "folder of the face-api model files; default data/face-api ($CLPIPE_FACE_MODELS)")
                .path("models", FaceApiModels::defaultFolder);
        InputPaths.verifiedModels(s, "models", models, FaceApiModels.MANIFESTS);
        String key = s.describe("model", "descriptor net: " + EmbedderModel.keys() + " (imported from " + EmbedderModel.SOURCE + ")")
                .choice("model", java.util.Arrays.stream(EmbedderModel.values()).map(EmbedderModel::key).toList(), DEFAULT_MODEL.key());
        EmbedderModel model = EmbedderModel.of(key);
        Path human = s.describe("human_models", "folder of the human-models files; default data/human-models ($CLPIPE_HUMAN_MODELS)")
                .path("human_models", EmbedderModel::defaultFolder);
        if (model.imported()) InputPaths.folderWith(s, "human_models", human, model.files(), InputPaths.HUMAN_MODELS_HINT);
        boolean mirror = s.describe("mirror_average", "average the descriptors of the crop and its mirror image").bool("mirror_average", false);
        int minFace = s.describe("min_face_size", "skip faces whose box is smaller (pixels, either side)").intIn("min_face_size", 1, 10000, 20);
        int thumb = s.describe("thumbnail", "side of the face thumbnails kept for contact sheets (0 = none)").intIn("thumbnail", 0, 1024, 96);
        return new Settings(models, model, human, mirror, minFace, thumb);
    }

    /** Opens the embedder a face stage uses on {@code device} (planning checked that the model files are there). */
    public static FaceEmbedder open(NetsProvider provider, ClContext device, Settings settings) throws Exception {
        FaceNet[] nets = provider.open(device, settings);
        return new FaceEmbedder(nets[0], nets[1], settings.mirrorAverage(), settings.minFaceSize());
    }

    /** One embedder per device of the stage: each takes pieces of a batch when it is free. */
    private static DevicePool<FaceEmbedder> pool(NetsProvider provider, StageContext context, Settings settings, Placement placement) {
        return new DevicePool<>(context.devices(placement.device()), device -> {
            try {
                return open(provider, device, settings);
            } catch (IOException e) { // a damaged model file: the data error it was on one device
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot open the face nets on " + device.device().describe() + ": " + e.getMessage(), e);
            }
        }, placement.faultPlan());
    }

    /** Given boxes (face-boxes) win; else the detect-faces stage's detections; else none. */
    static List<dev.clpipe.face.align.FaceBox> boxesOf(Item item) {
        var given = item.find(FaceBoxes.class);
        if (given.isPresent()) return given.get().boxes();
        var found = item.find(FaceDetections.class);
        if (found.isEmpty()) return List.of();
        List<dev.clpipe.face.align.FaceBox> out = new ArrayList<>();
        for (Detection d : found.get().faces()) {
            double[] b = d.box().toTopLeft();
            if (b[2] > 0 && b[3] > 0) out.add(new dev.clpipe.face.align.FaceBox(b[0], b[1], b[2], b[3], d.score()));
        }
        return out;
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        Settings settings = read(s);
        String file = s.describe("file", "faces file inside the run folder").string("file", "faces.jsonl");
        Placement placement = Placement.read(s);
        return new StagePlan.OfStage(id, name(), context -> {
            DevicePool<FaceEmbedder> embedders = pool(provider, context, settings, placement);
            JsonlSink sink = context.jsonl(context.runFolder().file(file));
            dev.clpipe.data.CsvSink rejected = context.csv(context.runFolder().file("faces-rejected.csv"),
                    List.of("image", "x", "y", "w", "h", "reason"));
            AtomicLong images = new AtomicLong(), faces = new AtomicLong(), empty = new AtomicLong(), dropped = new AtomicLong();
            return new Stage() {
                @Override
                public List<Item> process(List<Item> batch) throws Exception {
                    List<RgbImage> rgb = context.parallelMap(batch, item -> RgbImage.of(item.get(ImageData.class)));
                    List<List<dev.clpipe.face.align.FaceBox>> boxes = new ArrayList<>();
                    for (Item item : batch) boxes.add(boxesOf(item));
                    List<FaceEmbedder.Result> results = embedders.map(embedders.pieces(batch.size()), DevicePool.Piece::size,
                            (embedder, p) -> embedder.embedAll(rgb.subList(p.from(), p.to()), boxes.subList(p.from(), p.to())))
                            .stream().flatMap(List::stream).toList();
                    for (int n = 0; n < batch.size(); n++) {
                        Item item = batch.get(n);
                        FaceEmbedder.Result r = results.get(n);
                        List<byte[]> thumbs = new ArrayList<>();
                        for (int f = 0; f < r.faces().size(); f++) {
                            EmbeddedFace face = r.faces().get(f);
                            sink.write(FacesJsonl.line(new FaceRecord(item.id(), f, face.box().toArray(), face.box().score(), face.descriptor())));
                            thumbs.add(settings.thumbnail() == 0 ? new byte[0] : Thumbnails.jpeg(face.descriptorCrop().cut(rgb.get(n)), settings.thumbnail()));
                        }
                        for (FaceEmbedder.Rejected x : r.rejected()) {
                            rejected.row(item.id(), x.box().x(), x.box().y(), x.box().w(), x.box().h(), x.reason());
                        }
                        int notFaces = 0;
                        if (item.find(FaceBoxes.class).isEmpty() && item.find(FaceDetections.class).isPresent()) {
                            for (var x : item.get(FaceDetections.class).rejected()) {
                                double[] b = x.detection().box().toTopLeft();
                                rejected.row(item.id(), b[0], b[1], b[2], b[3], String.format(java.util.Locale.ROOT, "detection score %.3f: %s",
                                        x.detection().score(), x.reason()));
                                notFaces++;
                            }
                        }
                        item.put(ImageFaces.class, new ImageFaces(r.faces(), thumbs));
                        images.incrementAndGet();
                        faces.addAndGet(r.faces().size());
                        dropped.addAndGet(r.rejected().size() + notFaces);
                        if (r.faces().isEmpty()) empty.incrementAndGet();
                    }
                    context.metrics().put("faces", java.util.Map.of("images", images.get(), "faces", faces.get(),
                            "images_without_faces", empty.get(), "faces_rejected", dropped.get()));
                    return batch;
                }

                @Override
                public void close() throws Exception {
                    if (embedders.size() > 1) Placement.recordDevices(context.metrics(), id, embedders.toJson());
                    sink.close();
                    rejected.close();
                    embedders.close();
                }
            };
        });
    }
}
