package dev.clpipe.detect.train;

import dev.clpipe.data.CachedSamples;
import dev.clpipe.data.FramePlacement;
import dev.clpipe.detect.AnnotatedFolder;
import dev.clpipe.detect.AnnotatedImage;
import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.Box;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoded samples of an annotated folder split (its {@link CachedSamples}, made with image
 * sizes) with their objects: in image pixels for evaluation ({@link #truth}), and moved into the
 * sample frame the way each image was fitted into it ({@link FramePlacement}) for training targets.
 * Objects evaluation ignores (VOC difficult, COCO crowd) are not trained on.
 */
public record AnnotatedSamples(CachedSamples samples, List<DetectorEvaluation.Truth> truth, List<List<Annotation>> frameObjects) {

    /** Reads every sample's annotation (errors name the file and line) once the cache knows each image's size. */
    public static AnnotatedSamples of(CachedSamples samples, AnnotatedFolder.Split split) throws IOException {
        List<DetectorEvaluation.Truth> truth = new ArrayList<>(samples.count());
        List<List<Annotation>> frame = new ArrayList<>(samples.count());
        for (int i = 0; i < samples.count(); i++) {
            int w = samples.sourceWidth(i), h = samples.sourceHeight(i);
            AnnotatedImage a = split.objects(samples.entry(i), w, h);
            FramePlacement p = samples.format().placement(w, h);
            truth.add(new DetectorEvaluation.Truth(samples.file(i), a.objects(), p));
            List<Annotation> moved = new ArrayList<>();
            for (Annotation o : a.objects()) {
                if (o.ignore()) continue;
                Box b = o.box();
                moved.add(new Annotation(o.label(), p.isIdentity() ? b
                        : new Box(p.toFrameX(b.x1()), p.toFrameY(b.y1()), p.toFrameX(b.x2()), p.toFrameY(b.y2()))));
            }
            frame.add(List.copyOf(moved));
        }
        return new AnnotatedSamples(samples, List.copyOf(truth), List.copyOf(frame));
    }

    public int count() {
        return samples.count();
    }

    /** Every trained box's {w, h} in frame pixels (anchor k-means input), in sample order. */
    public List<double[]> boxShapes() {
        return frameObjects.stream().flatMap(List::stream).map(a -> new double[] {a.box().width(), a.box().height()}).toList();
    }

    public int objects() {
        return frameObjects.stream().mapToInt(List::size).sum();
    }
}
