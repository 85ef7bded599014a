package dev.clpipe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clpipe.face.nets.FaceApiGraphs;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.nn.graph.GraphReference;
import dev.clpipe.nn.io.FaceApiModels;
import dev.clpipe.nn.io.FaceRecognitionWeights;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import dev.clpipe.testing.Tolerance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clpipe model run NAME-weights_manifest.json}: a TF.js model on an NHWC tensor gives the
 * plain-Java graph reference's output; a tensor of the wrong shape is a data error (exit 4) and an
 * unknown manifest a usage error (exit 2). Needs the face-api models (make models).
 */
@Tag("kernel")
class TfjsModelRunTest {
    private ExitCode run(String... args) {
        return Main.standard(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(args);
    }

    @Test
    void recognitionModelRunsOnATensorFile(@TempDir Path dir) throws Exception {
        Path models = FaceApiModels.defaultFolder();
        assumeTrue(FaceApiModels.missing(models).isEmpty(), "face-api models not found in " + models);
        Path manifest = models.resolve(FaceRecognitionWeights.MANIFEST);
        Graph graph = FaceApiGraphs.recognition(FaceRecognitionWeights.load(models));
        int h = graph.inputDims().height(), w = graph.inputDims().width(), c = graph.inputDims().channels();
        float[] x = new float[2 * h * w * c];
        Random r = new Random(4);
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() * 255;
        Path in = dir.resolve("x.npy"), out = dir.resolve("y.npy");
        Npy.write(in, new int[] {2, h, w, c}, x);
        assertEquals(ExitCode.OK, run("model", "run", manifest.toString(), "--input", in.toString(), "--output", out.toString()));
        NpyArray y = Npy.read(out);
        assertArrayEquals(new int[] {2, 128}, y.shape());
        Tolerance.FLOAT.assertClose(y.data(), GraphReference.run(graph, x, 2)[0], "face recognition via model run");
        Npy.write(in, new int[] {1, h, w + 1, c}, new float[h * (w + 1) * c]);
        assertEquals(ExitCode.DATA, run("model", "run", manifest.toString(), "--input", in.toString(), "--output", out.toString()));
        assertEquals(ExitCode.USAGE, run("model", "run", dir.resolve("other-weights_manifest.json").toString(), "--input", in.toString(),
                "--output", out.toString()));
    }
}
