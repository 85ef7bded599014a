package dev.clpipe.face.align;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * detect → landmarks → descriptor as face-api's {@code withFaceLandmarks().withFaceDescriptors()}
 * (docs/face-models.md §7): crop each box (clipped, floored), run the landmark net, place the
 * dlib-style crop from eye and mouth centres, run the recognition net on it. Faces are batched
 * through each net. Faces whose box is smaller than {@code minFaceSize} pixels (either side) or
 * whose crops come out empty are returned as {@link Rejected} with the reason, never guessed.
 *
 * <p>{@code mirrorAverage}: also embed the left-right mirrored descriptor crop and average the
 * two descriptors (docs/face-clustering.md measures what it gains); off reproduces face-api.
 */
public final class FaceEmbedder implements AutoCloseable {
    /** A face that was not embedded, and why. */
    public record Rejected(FaceBox box, String reason) {}

    /** The faces of one image, embedded or rejected, in box order. */
    public record Result(List<EmbeddedFace> faces, List<Rejected> rejected) {}

    private final FaceNet landmarkNet;
    private final FaceNet descriptorNet;
    private final boolean mirrorAverage;
    private final int minFaceSize;

    public FaceEmbedder(FaceNet landmarkNet, FaceNet descriptorNet, boolean mirrorAverage, int minFaceSize) {
        if (landmarkNet.outputSize() != 2 * Landmarks68.POINTS) {
            throw new IllegalArgumentException("landmark net must output 136 values, it outputs " + landmarkNet.outputSize());
        }
        if (minFaceSize < 1) throw new IllegalArgumentException("min face size must be >= 1 pixel, got " + minFaceSize);
        this.landmarkNet = landmarkNet;
        this.descriptorNet = descriptorNet;
        this.mirrorAverage = mirrorAverage;
        this.minFaceSize = minFaceSize;
    }

    public int dimension() {
        return descriptorNet.outputSize();
    }

    public Result embed(RgbImage image, List<FaceBox> boxes) {
        List<Rejected> rejected = new ArrayList<>();
        List<FaceBox> kept = new ArrayList<>();
        List<PixelRect> crops = new ArrayList<>();
        for (FaceBox b : boxes) {
            if (b.w() < minFaceSize || b.h() < minFaceSize) {
                rejected.add(new Rejected(b, String.format(java.util.Locale.ROOT, "face %.0fx%.0f px is smaller than min_face_size %d",
                        b.w(), b.h(), minFaceSize)));
                continue;
            }
            Optional<PixelRect> r = PixelRect.clipped(b.x(), b.y(), b.w(), b.h(), image.width(), image.height());
            if (r.isEmpty()) {
                rejected.add(new Rejected(b, "face box lies outside the image"));
                continue;
            }
            kept.add(b);
            crops.add(r.get());
        }
        if (kept.isEmpty()) return new Result(List.of(), rejected);

        int ls = landmarkNet.inputSize();
        float[] lin = new float[kept.size() * ls * ls * 3];
        for (int i = 0; i < kept.size(); i++) NetInput.centredSquare(crops.get(i).cut(image), ls, lin, i * ls * ls * 3);
        float[] raw = landmarkNet.forward(lin, kept.size());

        List<FaceBox> faces = new ArrayList<>();
        List<Landmarks68> marks = new ArrayList<>();
        List<PixelRect> descCrops = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            PixelRect c = crops.get(i);
            Landmarks68 m = Landmarks68.fromNetOutput(raw, i * landmarkNet.outputSize(), ls, c.w(), c.h(), kept.get(i).x(), kept.get(i).y());
            Optional<PixelRect> d = DlibAlignment.crop(m, c.w(), c.h(), image.width(), image.height());
            if (d.isEmpty()) {
                rejected.add(new Rejected(kept.get(i), "landmarks give an empty descriptor crop"));
                continue;
            }
            faces.add(kept.get(i));
            marks.add(m);
            descCrops.add(d.get());
        }
        if (faces.isEmpty()) return new Result(List.of(), rejected);

        int ds = descriptorNet.inputSize(), per = ds * ds * 3, views = mirrorAverage ? 2 : 1;
        float[] din = new float[faces.size() * views * per];
        for (int i = 0; i < faces.size(); i++) {
            RgbImage crop = descCrops.get(i).cut(image);
            NetInput.centredSquare(crop, ds, din, i * views * per);
            if (mirrorAverage) NetInput.centredSquare(crop.mirrored(), ds, din, (i * views + 1) * per);
        }
        float[] desc = descriptorNet.forward(din, faces.size() * views);
        int dim = descriptorNet.outputSize();
        List<EmbeddedFace> out = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            float[] v = new float[dim];
            for (int k = 0; k < dim; k++) {
                float sum = 0;
                for (int view = 0; view < views; view++) sum += desc[(i * views + view) * dim + k];
                v[k] = sum / views;
            }
            out.add(new EmbeddedFace(faces.get(i), marks.get(i), descCrops.get(i), v));
        }
        return new Result(out, rejected);
    }

    @Override
    public void close() {
        landmarkNet.close();
        descriptorNet.close();
    }
}
