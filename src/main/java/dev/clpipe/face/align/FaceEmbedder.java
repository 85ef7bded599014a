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
        return embedAll(List.of(image), List.of(boxes)).get(0);
    }

    /** Several images at once: the faces of all of them go through each net as one batch. */
    public List<Result> embedAll(List<RgbImage> images, List<List<FaceBox>> boxes) {
        if (images.size() != boxes.size()) throw new IllegalArgumentException(images.size() + " images but " + boxes.size() + " box lists");
        List<List<Rejected>> rejected = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        for (int n = 0; n < images.size(); n++) {
            RgbImage image = images.get(n);
            List<Rejected> rej = new ArrayList<>();
            rejected.add(rej);
            for (FaceBox b : boxes.get(n)) {
                if (b.w() < minFaceSize || b.h() < minFaceSize) {
                    rej.add(new Rejected(b, String.format(java.util.Locale.ROOT, "face %.0fx%.0f px is smaller than min_face_size %d",
                            b.w(), b.h(), minFaceSize)));
                    continue;
                }
                Optional<PixelRect> r = PixelRect.clipped(b.x(), b.y(), b.w(), b.h(), image.width(), image.height());
                if (r.isEmpty()) rej.add(new Rejected(b, "face box lies outside the image"));
                else pending.add(new Pending(n, b, r.get()));
            }
        }
        List<List<EmbeddedFace>> faces = new ArrayList<>();
        for (int n = 0; n < images.size(); n++) faces.add(new ArrayList<>());
        if (pending.isEmpty()) return results(faces, rejected);

        int ls = landmarkNet.inputSize();
        float[] lin = new float[pending.size() * ls * ls * 3];
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            NetInput.centredSquare(p.crop.cut(images.get(p.image)), ls, lin, i * ls * ls * 3);
        }
        float[] raw = landmarkNet.forward(lin, pending.size());

        List<Pending> aligned = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            RgbImage image = images.get(p.image);
            PixelRect c = p.crop;
            p.marks = Landmarks68.fromNetOutput(raw, i * landmarkNet.outputSize(), ls, c.w(), c.h(), p.box.x(), p.box.y());
            Optional<PixelRect> d = DlibAlignment.crop(p.marks, c.w(), c.h(), image.width(), image.height());
            if (d.isEmpty()) {
                rejected.get(p.image).add(new Rejected(p.box, "landmarks give an empty descriptor crop"));
                continue;
            }
            p.descriptorCrop = d.get();
            aligned.add(p);
        }
        if (aligned.isEmpty()) return results(faces, rejected);

        int ds = descriptorNet.inputSize(), per = ds * ds * 3, views = mirrorAverage ? 2 : 1;
        float[] din = new float[aligned.size() * views * per];
        for (int i = 0; i < aligned.size(); i++) {
            Pending p = aligned.get(i);
            RgbImage crop = p.descriptorCrop.cut(images.get(p.image));
            NetInput.centredSquare(crop, ds, din, i * views * per);
            if (mirrorAverage) NetInput.centredSquare(crop.mirrored(), ds, din, (i * views + 1) * per);
        }
        float[] desc = descriptorNet.forward(din, aligned.size() * views);
        int dim = descriptorNet.outputSize();
        for (int i = 0; i < aligned.size(); i++) {
            float[] v = new float[dim];
            for (int k = 0; k < dim; k++) {
                float sum = 0;
                for (int view = 0; view < views; view++) sum += desc[(i * views + view) * dim + k];
                v[k] = sum / views;
            }
            Pending p = aligned.get(i);
            faces.get(p.image).add(new EmbeddedFace(p.box, p.marks, p.descriptorCrop, v));
        }
        return results(faces, rejected);
    }

    private static List<Result> results(List<List<EmbeddedFace>> faces, List<List<Rejected>> rejected) {
        List<Result> out = new ArrayList<>();
        for (int n = 0; n < faces.size(); n++) out.add(new Result(faces.get(n), rejected.get(n)));
        return out;
    }

    /** A face on its way through the two nets. */
    private static final class Pending {
        final int image;
        final FaceBox box;
        final PixelRect crop;
        Landmarks68 marks;
        PixelRect descriptorCrop;

        Pending(int image, FaceBox box, PixelRect crop) {
            this.image = image;
            this.box = box;
            this.crop = crop;
        }
    }

    @Override
    public void close() {
        landmarkNet.close();
        descriptorNet.close();
    }
}
