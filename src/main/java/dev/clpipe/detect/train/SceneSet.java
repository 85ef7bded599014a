package dev.clpipe.detect.train;

import dev.clpipe.detect.Annotation;
import dev.clpipe.detect.YoloEncoder;
import dev.clpipe.detect.scenes.DigitSceneGenerator;
import dev.clpipe.detect.scenes.Scene;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.Shape;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Scenes first..first+count-1 of a generator, each padded into the top-left of a square frame (the
 * detector's fixed input), as a {@link Dataset} of frames for {@link dev.clpipe.nn.DeviceDataset}
 * (labels unused, all 0) plus the ground truth. Scenes are generated in parallel; each is a pure
 * function of its index, so the set does not depend on the thread count.
 */
public record SceneSet(List<Scene> scenes, Dataset frames) {

    public static SceneSet generate(String name, DigitSceneGenerator generator, int count) {
        return generate(name, generator, 0, count);
    }

    /** Scenes {@code first .. first + count - 1} (a later epoch's fresh scenes). */
    public static SceneSet generate(String name, DigitSceneGenerator generator, int first, int count) {
        if (count < 1) {
            throw new IllegalArgumentException(name + ": scene count must be >= 1, got " + count);
        }
        int side = generator.spec().frame();
        List<Scene> scenes = IntStream.range(0, count).parallel().mapToObj(i -> generator.scene(first + i)).toList();
        byte[] frames = new byte[count * side * side];
        IntStream.range(0, count).parallel().forEach(i -> scenes.get(i).padInto(frames, i * side * side, side));
        return new SceneSet(scenes, new Dataset(name, frames, new int[count], new Shape(side, side, 1), 1));
    }

    public int count() {
        return scenes.size();
    }

    public int side() {
        return frames.shape().width();
    }

    public List<Annotation> objects(int i) {
        return scenes.get(i).objects();
    }

    /** Targets of every scene back to back ({@code count * layout.size()} floats), boxes in frame pixels. */
    public float[] targets(YoloEncoder encoder, int blockSize) {
        float[] all = new float[count() * blockSize];
        IntStream.range(0, count()).parallel().forEach(i -> {
            float[] t = encoder.encode(objects(i), side(), side()).values();
            System.arraycopy(t, 0, all, i * blockSize, blockSize);
        });
        return all;
    }

    /** Every box's {w, h} in frame pixels (anchor k-means input). */
    public List<double[]> boxShapes() {
        return scenes.stream().flatMap(s -> s.objects().stream()).map(a -> new double[] {a.box().width(), a.box().height()}).toList();
    }
}
