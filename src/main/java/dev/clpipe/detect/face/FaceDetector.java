package dev.clpipe.detect.face;

import dev.clpipe.cl.ClContext;
import dev.clpipe.data.ImageData;
import dev.clpipe.detect.Detection;
import dev.clpipe.detect.Nms;
import dev.clpipe.detect.NmsConfig;
import dev.clpipe.nn.graph.BatchPlan;
import dev.clpipe.nn.graph.DeviceGraph;
import dev.clpipe.nn.graph.TinyFaceDetectorGraph;
import dev.clpipe.nn.io.TfjsFormatException;
import dev.clpipe.nn.io.TinyFaceDetectorWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * face-api's tiny face detector on one OpenCL device: decoded images in, faces out as
 * {@link Detection}s (label {@code "face"}) in image pixels, best first. With
 * {@link FaceDetectorOptions#DEFAULT} the result is face-api's {@code detectAllFaces(img,
 * new TinyFaceDetectorOptions())}: same letterboxing, decoding and NMS. Images of any size and 1,
 * 3 or 4 channels are accepted. Crops of several images share a device run ({@code batch}); host
 * preprocessing of the next run and decoding of the last overlap the device. Not thread-safe.
 *
 * <pre>{@code
 * try (FaceDetector detector = FaceDetector.open(context, FaceApiModels.defaultFolder(), FaceDetectorOptions.DEFAULT)) {
 *     List<Detection> faces = detector.detect(image);
 * }
 * }</pre>
 */
public final class FaceDetector implements AutoCloseable {
    private final FaceDetectorOptions options;
    private final DeviceGraph net;
    private final int grid;
    private final int inputFloats;
    private final Map<Integer, float[]> hostInputs = new HashMap<>();

    public FaceDetector(ClContext context, TinyFaceDetectorWeights weights, FaceDetectorOptions options) {
        this.options = options;
        this.net = new DeviceGraph(context, TinyFaceDetectorGraph.build(weights, options.inputSize()));
        this.grid = options.inputSize() / 32;
        this.inputFloats = options.inputSize() * options.inputSize() * 3;
    }

    /** Reads the tiny face detector from a face-api model folder (see {@code FaceApiModels}). */
    public static FaceDetector open(ClContext context, Path modelFolder, FaceDetectorOptions options) throws TfjsFormatException {
        return new FaceDetector(context, TinyFaceDetectorWeights.load(modelFolder), options);
    }

    public FaceDetectorOptions options() {
        return options;
    }

    /** The device network (for profiling and FLOP counts). */
    public DeviceGraph network() {
        return net;
    }

    public List<Detection> detect(ImageData image) {
        return detectAll(List.of(image)).get(0);
    }

    /** Faces of each image, in input order. */
    public List<List<Detection>> detectAll(List<ImageData> images) {
        List<Work> work = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ImageData img = images.get(i);
            for (Crop c : options.tiling().crops(img.width(), img.height(), options.inputSize())) work.add(new Work(i, i, c));
        }
        List<List<Detection>> candidates = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) candidates.add(new ArrayList<>());
        runAll(images, work, candidates, options.scoreThreshold());
        NmsConfig nms = new NmsConfig(options.scoreThreshold(), options.iouThreshold(), true, 0);
        List<List<Detection>> out = new ArrayList<>();
        for (List<Detection> c : candidates) out.add(Nms.apply(c, nms));
        return out;
    }

    /**
     * The faces of each image, each one re-checked on close-ups ({@link FaceDetectorOptions#recheck()});
     * with the re-check off, everything found is kept.
     */
    public List<CheckedFaces> detectChecked(List<ImageData> images) {
        List<List<Detection>> found = detectAll(images);
        FaceRecheck recheck = options.recheck();
        if (!recheck.enabled()) return found.stream().map(f -> new CheckedFaces(f, List.of())).toList();
        int views = recheck.contexts().size();
        List<Work> work = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ImageData img = images.get(i);
            for (Detection d : found.get(i)) {
                for (double context : recheck.contexts()) work.add(new Work(i, work.size(), FaceRecheck.closeUp(d.box(), context, img.width(), img.height())));
            }
        }
        List<List<Detection>> closeUps = new ArrayList<>();
        for (int t = 0; t < work.size(); t++) closeUps.add(new ArrayList<>());
        runAll(images, work, closeUps, 0.01);
        List<CheckedFaces> out = new ArrayList<>();
        int t = 0;
        for (List<Detection> faces : found) {
            List<Detection> kept = new ArrayList<>();
            List<CheckedFaces.RejectedFace> rejected = new ArrayList<>();
            for (Detection d : faces) {
                String reason = recheck.verdict(d.box(), closeUps.subList(t, t + views));
                t += views;
                if (reason == null) kept.add(d);
                else rejected.add(new CheckedFaces.RejectedFace(d, reason));
            }
            out.add(new CheckedFaces(kept, rejected));
        }
        return out;
    }

    /** One crop of one image; its detections go to list {@code target}. */
    private record Work(int image, int target, Crop crop) {}

    /** A device run in flight: its plan and its slice of the work list. */
    private record Run(BatchPlan plan, int from, int to) {}

    private void runAll(List<ImageData> images, List<Work> work, List<List<Detection>> candidates, double threshold) {
        Run pending = null;
        int next = 0;
        while (next < work.size() || pending != null) {
            Run started = null;
            float[] input = null;
            if (next < work.size()) {
                int count = Math.min(options.batch(), work.size() - next);
                BatchPlan plan = net.plan(planSize(count));
                input = prepare(images, work, next, next + count, plan.batch());
                started = new Run(plan, next, next + count);
                next += count;
            }
            float[] output = pending != null ? pending.plan().readOutput(0) : null;
            if (started != null) {
                started.plan().upload(input);
                started.plan().enqueue();
            }
            if (pending != null) decode(work, pending, output, candidates, threshold);
            pending = started;
        }
    }

    /** Batch sizes are powers of two up to {@code batch}, so at most a few plans exist. */
    private int planSize(int count) {
        int size = Integer.highestOneBit(count);
        if (size < count) size <<= 1;
        return Math.min(size, options.batch());
    }

    private float[] prepare(List<ImageData> images, List<Work> work, int from, int to, int batch) {
        float[] input = hostInputs.computeIfAbsent(batch, b -> new float[b * inputFloats]);
        IntStream.range(from, to).parallel().forEach(k -> {
            Work w = work.get(k);
            NetInput.letterbox(images.get(w.image()), w.crop(), options.inputSize(), input, (k - from) * inputFloats);
        });
        // Unused batch slots keep whatever they held: their outputs are never decoded.
        return input;
    }

    private void decode(List<Work> work, Run run, float[] output, List<List<Detection>> candidates, double threshold) {
        int perCrop = grid * grid * 25;
        for (int k = run.from(); k < run.to(); k++) {
            Work w = work.get(k);
            for (Detection d : TinyFaceDecoder.decode(output, (k - run.from()) * perCrop, grid, options.inputSize(), w.crop(), threshold)) {
                if (w.crop().coreContains(d.box().centreX(), d.box().centreY())) candidates.get(w.target()).add(d);
            }
        }
    }

    @Override
    public void close() {
        net.close();
    }
}
