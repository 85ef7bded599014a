package dev.clpipe.nn.onnx;

import static dev.clpipe.nn.onnx.OnnxBadInputTest.conv;
import static dev.clpipe.nn.onnx.OnnxBadInputTest.external;
import static dev.clpipe.nn.onnx.OnnxBadInputTest.input;
import static dev.clpipe.nn.onnx.OnnxBadInputTest.model;
import static dev.clpipe.nn.onnx.OnnxBadInputTest.node;
import static dev.clpipe.nn.onnx.OnnxBadInputTest.raw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.clpipe.nn.onnx.proto.Onnx.GraphProto;
import dev.clpipe.nn.onnx.proto.Onnx.ModelProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The malformed models {@code src/test/sh/bad-invocations.sh} feeds the launcher, committed under
 * {@link #DIR}: one refusal each (opset, dynamic height, tensor bytes vs shape, external data
 * missing or outside the folder, an unsupported operator). {@code main} rewrites them; the test
 * holds the committed bytes to what this class builds.
 */
class BadOnnxFixturesTest {
    static final Path DIR = Path.of("src/test/resources/nn/onnx/bad");

    static Map<String, ModelProto> models() {
        Map<String, ModelProto> m = new LinkedHashMap<>();
        m.put("opset12.onnx", model(12, input(1, 2, 3, 3), conv(), "y"));
        m.put("dynamic-height.onnx", model(13, input("N", 2, "height", 3), conv(), "y"));
        m.put("short-tensor.onnx", model(13, input(1, 2, 3, 3), GraphProto.newBuilder().addInitializer(TensorProto.newBuilder().setName("w")
                .setDataType(TensorProto.DataType.FLOAT_VALUE).addAllDims(List.of(2L, 2L, 1L, 1L)).setRawData(raw(1, 2, 3)))
                .addNode(node("Conv", "conv", "y", "x", "w")), "y"));
        m.put("external-missing.onnx", model(13, input(1, 2, 3, 3), GraphProto.newBuilder().addInitializer(external("weights-absent.bin"))
                .addNode(node("Conv", "conv", "y", "x", "w")), "y"));
        m.put("external-escape.onnx", model(13, input(1, 2, 3, 3), GraphProto.newBuilder().addInitializer(external("../ops-mix17.onnx"))
                .addNode(node("Conv", "conv", "y", "x", "w")), "y"));
        m.put("lstm.onnx", model(13, input(1, 2, 3, 3), conv().addNode(node("LSTM", "rnn/lstm", "z", "y")), "z"));
        return m;
    }

    @Test
    void committedFixturesAreWhatThisClassBuilds() throws IOException {
        for (Map.Entry<String, ModelProto> e : models().entrySet()) {
            assertArrayEquals(e.getValue().toByteArray(), Files.readAllBytes(DIR.resolve(e.getKey())), e.getKey() + " (rerun BadOnnxFixturesTest.main)");
        }
    }

    public static void main(String[] args) throws IOException {
        Files.createDirectories(DIR);
        for (Map.Entry<String, ModelProto> e : models().entrySet()) Files.write(DIR.resolve(e.getKey()), e.getValue().toByteArray());
    }
}
