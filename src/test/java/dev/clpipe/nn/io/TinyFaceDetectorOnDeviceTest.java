package dev.clpipe.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.detect.face.RealFaceData;
import dev.clpipe.nn.graph.TinyFaceDetectorGraph;
import dev.clpipe.nn.graph.DeviceGraph;
import dev.clpipe.nn.graph.Graph;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tiny face detector as a device graph ({@link TinyFaceDetectorGraph} on our kernels) against
 * the raw conv8 output face-api computed ({@code face-api-golden.json}) and against the plain-Java
 * {@link ReferenceFaceNets} at the default input 416, batched. Tolerance: {@link #TOL} (rel 1e-2,
 * abs 5e-3 on outputs of magnitude up to ~40: seven float convolutions with sums of up to 512
 * terms against tfjs's float CPU kernels / a double reference). Needs the real model files.
 */
class TinyFaceDetectorOnDeviceTest {
    static final Tolerance TOL = Tolerance.FLOAT_LONG_SUM;
    private Path folder;

    @BeforeEach
    void findModels() {
        folder = RealFaceData.models();
    }

    @Test
    void rawOutputMatchesFaceApi() throws IOException, TfjsFormatException {
        JsonNode g;
        try (InputStream in = getClass().getResourceAsStream("/nn/io/face-api-golden.json")) {
            g = new ObjectMapper().readTree(in).get("tinyFaceDetector");
        }
        int size = g.get("imageSize").asInt();
        float[] want = new float[g.get("values").size()];
        for (int i = 0; i < want.length; i++) want[i] = (float) g.get("values").get(i).asDouble();
        Graph graph = TinyFaceDetectorGraph.build(TinyFaceDetectorWeights.load(folder), size);
        assertEquals(List.of(1, size / 32, size / 32, 25), List.of(1, graph.outputDims(0).height(), graph.outputDims(0).width(), graph.outputDims(0).channels()));
        try (DeviceGraph net = new DeviceGraph(TestDevices.context(), graph)) {
            TOL.assertClose(net.run(ReferenceFaceIo.testImage(size).v(), 1)[0], want, "tiny face detector conv8 vs face-api");
        }
    }

    @Test
    void batchAtInput416MatchesTheJavaReference() throws TfjsFormatException {
        TinyFaceDetectorWeights w = TinyFaceDetectorWeights.load(folder);
        int size = 416, n = size * size * 3;
        float[] batch = new float[2 * n];
        ReferenceLayers.Act a = ReferenceFaceIo.testImage(size);
        System.arraycopy(a.v(), 0, batch, 0, n);
        for (int i = 0; i < n; i++) batch[n + i] = a.v()[n - 1 - i]; // a second, different sample
        try (DeviceGraph net = new DeviceGraph(TestDevices.context(), TinyFaceDetectorGraph.build(w, size))) {
            float[] got = net.run(batch, 2)[0];
            int per = got.length / 2;
            for (int s = 0; s < 2; s++) {
                float[] sample = java.util.Arrays.copyOfRange(batch, s * n, (s + 1) * n);
                float[] want = ReferenceFaceNets.tinyFaceDetector(w, new ReferenceLayers.Act(size, size, 3, sample)).v();
                TOL.assertClose(java.util.Arrays.copyOfRange(got, s * per, (s + 1) * per), want, "sample " + s + " at 416");
            }
        }
    }
}
