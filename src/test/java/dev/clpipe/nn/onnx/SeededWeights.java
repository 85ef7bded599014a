package dev.clpipe.nn.onnx;

import com.google.protobuf.ByteString;
import dev.clpipe.nn.onnx.proto.Onnx.ModelProto;
import dev.clpipe.nn.onnx.proto.Onnx.StringStringEntryProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The weights of the full-size seeded torchvision nets (make_onnx_vectors.py {@code seeded}) from a
 * counter hash that the script's {@code seeded_uniform} computes bit for bit: the committed graphs
 * keep their initializers as external data in {@code NAME.weights}, which {@link #materialize}
 * writes beside a copy of the graph. {@link #main} is the dev-time step that turns torch's export
 * into that graph, after checking every initializer against this generator.
 */
public final class SeededWeights {
    public static final int SEED = 20;

    private SeededWeights() {}

    /** float32 {@code center + half * (2u - 1)} with u = lowbias32(i + base) >>> 8 / 2^24, base from the name and seed. */
    public static float[] uniform(String name, int n, float center, float half, int seed) {
        int base = (fnv1a(name) ^ seed) * 0x9E3779B9;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int x = base + i;
            x ^= x >>> 16;
            x *= 0x7FEB352D;
            x ^= x >>> 15;
            x *= 0x846CA68B;
            x ^= x >>> 16;
            float u = (x >>> 8) * (1.0f / 16777216);
            out[i] = center + half * (2 * u - 1);
        }
        return out;
    }

    /** A tensor's values: He-uniform weights, batch-norm statistics near (0, 1), small biases (the script's seeded_range). */
    public static float[] tensor(String name, long[] dims, int seed) {
        int n = 1;
        for (long d : dims) n = Math.multiplyExact(n, (int) d);
        float center, half;
        if (name.endsWith("running_mean")) {
            center = 0;
            half = 0.1f;
        } else if (name.endsWith("running_var")) {
            center = 1;
            half = 0.5f;
        } else if (dims.length == 1) {
            center = name.endsWith("weight") ? 1 : 0;
            half = name.endsWith("weight") ? 0.2f : 0.1f;
        } else {
            center = 0;
            half = (float) Math.sqrt((dims.length == 4 ? 6.0 : 3.0) / (n / dims[0]));
        }
        return uniform(name, n, center, half, seed);
    }

    /** The input batch the script fed PyTorch: 2 x 3 x 224 x 224, NCHW. */
    public static float[] input(int seed) {
        return uniform("input", 2 * 3 * 224 * 224, 0, 2, seed);
    }

    /** Copies {@code graph} into {@code dir} and writes every external initializer's values there; returns the copy. */
    public static Path materialize(Path graph, Path dir, int seed) throws IOException {
        Files.createDirectories(dir);
        Path copy = dir.resolve(graph.getFileName());
        Files.copy(graph, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(graph));
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) continue;
            String location = null;
            long offset = 0;
            for (StringStringEntryProto e : t.getExternalDataList()) {
                if (e.getKey().equals("location")) location = e.getValue();
                if (e.getKey().equals("offset")) offset = Long.parseLong(e.getValue());
            }
            try (RandomAccessFile f = new RandomAccessFile(dir.resolve(location).toFile(), "rw")) {
                f.seek(offset);
                f.write(bytes(tensor(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray(), seed)));
            }
        }
        return copy;
    }

    private static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    private static int fnv1a(String name) {
        int h = 0x811C9DC5;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x01000193;
        return h;
    }

    /**
     * Dev time. {@code externalize FULL.onnx OUT.onnx SEED} checks that every float initializer of
     * torch's export equals {@link #tensor} bit for bit and writes OUT.onnx with them as external data
     * in OUT.weights (one file, in initializer order). {@code materialize DIR} writes the committed
     * seeded graphs with their weights into DIR (for {@code clpipe bench onnx}; src/test/sh/onnx-bench.sh).
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("materialize")) {
            for (String name : new String[] {"resnet18-seeded", "mobilenetv2-seeded"}) {
                System.out.println(materialize(OnnxGoldenTest.DIR.resolve(name + ".onnx"), Path.of(args[1]), SEED));
            }
            return;
        }
        if (args.length != 4 || !args[0].equals("externalize")) {
            throw new IllegalArgumentException("usage: SeededWeights externalize FULL.onnx OUT.onnx SEED | materialize DIR");
        }
        externalize(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
    }

    private static void externalize(Path in, Path out, int seed) throws IOException {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(in));
        String weights = out.getFileName().toString().replaceFirst("\\.onnx$", "") + ".weights";
        var graph = model.getGraph().toBuilder();
        long offset = 0;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) continue; // e.g. num_batches_tracked stays inline
            float[] want = tensor(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray(), seed);
            byte[] raw = t.getRawData().toByteArray();
            if (!java.util.Arrays.equals(raw, bytes(want))) throw new IllegalStateException(t.getName() + ": torch's values differ from the generator's");
            graph.setInitializer(i, t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", weights)).addExternalData(entry("offset", Long.toString(offset)))
                    .addExternalData(entry("length", Long.toString(raw.length))).build());
            offset += raw.length;
        }
        Files.write(out, model.toBuilder().setGraph(graph).build().toByteArray());
        System.out.println(out + ": " + graph.getInitializerCount() + " initializers, " + offset + " bytes as external data in " + weights);
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
