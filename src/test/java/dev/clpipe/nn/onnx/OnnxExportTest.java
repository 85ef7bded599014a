package dev.clpipe.nn.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.Models;
import dev.clpipe.nn.Network;
import dev.clpipe.nn.Param;
import dev.clpipe.nn.Shape;
import dev.clpipe.nn.graph.GraphReference;
import dev.clpipe.pipeline.stages.ModelFile;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * clpipe -> ONNX -> ONNX Runtime: the zoo's nets (LeNet-5, resnet-mnist with batch norm and
 * residuals, inception-mnist with concatenated branches) with seeded weights and random batch-norm
 * statistics, exported through their inference graph ({@link dev.clpipe.nn.graph.SpecGraph}, the same path as
 * imported graphs take, see GraphExportTest) and run in ONNX Runtime (test-scope dependency) on the NCHW form of the
 * batch clpipe's own training network runs in NHWC: logits within {@link #TOL}. The export is
 * also imported back into clpipe's graph (where its operators are importable).
 */
@Tag("kernel")
class OnnxExportTest {
    static final Tolerance TOL = new Tolerance("onnx-export", 1e-3, 1e-4);
    static final int BATCH = 3;

    @Test
    void lenet5RunsAlikeInOnnxRuntimeAndBackInClpipe() throws Exception {
        check(Models.lenet5(), true);
    }

    @Test
    void resnetMnistWithBatchNormAndResidualsRunsAlike() throws Exception {
        check(Models.resnetMnist(), true);
    }

    @Test
    void inceptionMnistWithConcatRunsAlikeInOnnxRuntime() throws Exception {
        check(ModelFile.read(Path.of("pipelines/models/inception-mnist.yaml")), false);
    }

    private static void check(ModelSpec spec, boolean reimport) throws Exception {
        ClContext context = TestDevices.context();
        Shape in = spec.input();
        Random r = new Random(3);
        float[] nhwc = new float[BATCH * in.size()];
        for (int i = 0; i < nhwc.length; i++) nhwc[i] = (float) r.nextGaussian();
        float[] want = new float[BATCH * spec.output().size()];
        byte[] onnx;
        try (Network net = new Network(context, spec, BATCH, 11)) {
            for (Param p : net.params()) {
                if (p.name().endsWith(".running_mean") || p.name().endsWith(".bias") && p.name().contains("bn")) p.value().write(context.queue(), uniform(r, p.size(), -0.5f, 0.5f));
                if (p.name().endsWith(".running_var")) p.value().write(context.queue(), uniform(r, p.size(), 0.5f, 2f));
            }
            net.input().write(context.queue(), nhwc);
            net.forward(false, 0);
            net.logits().read(context.queue(), want);
            Map<String, float[]> params = OnnxExporter.parameters(net);
            onnx = OnnxExporter.export(spec, params);
        }
        float[] nchw = Layouts.nhwcToNchw(nhwc, BATCH, in.height(), in.width(), in.channels());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), new long[] {BATCH, in.channels(), in.height(), in.width()});
             OrtSession.Result result = session.run(Map.of("input", x))) {
            float[][] y = (float[][]) result.get(0).getValue();
            float[] got = new float[want.length];
            for (int b = 0; b < BATCH; b++) System.arraycopy(y[b], 0, got, b * y[b].length, y[b].length);
            TOL.assertClose(got, want, spec.name() + " ONNX Runtime vs clpipe");
        }
        if (reimport) {
            Path file = Path.of(System.getProperty("java.io.tmpdir"), "clpipe-export-" + spec.name() + ".onnx");
            java.nio.file.Files.write(file, onnx);
            OnnxNetwork back = OnnxImporter.read(file);
            float[] got = back.fromGraphOutput(0, GraphReference.run(back.graph(), back.toGraphInput(nchw, BATCH), BATCH)[0], BATCH);
            TOL.assertClose(got, want, spec.name() + " re-imported vs clpipe");
        }
    }

    private static float[] uniform(Random r, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * r.nextFloat();
        return a;
    }
}
