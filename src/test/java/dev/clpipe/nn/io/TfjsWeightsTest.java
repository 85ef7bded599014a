package dev.clpipe.nn.io;

import static dev.clpipe.nn.io.TfjsFixture.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsWeightsTest {
    @TempDir
    Path dir;

    @Test
    void readsFloat32ValuesExactlyInManifestOrder() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin")
                .float32("b", shape(2, 2), 1.5f, -0.0f, Float.MIN_VALUE, 3.4e38f)
                .float32("a", shape(3), 0.1f, 0.2f, 0.3f);
        TfjsWeights w = TfjsWeights.read(f.write(dir, "m.json"));
        assertEquals(List.of("b", "a"), List.copyOf(w.names()));
        assertArrayEquals(new int[] {2, 2}, w.get("b").shape());
        assertArrayEquals(new float[] {1.5f, -0.0f, Float.MIN_VALUE, 3.4e38f}, w.get("b").values());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, w.get("a").values());
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(w.get("b").values()[1]));
    }

    @Test
    void dequantisesUint8AsTfjsDoes() throws IOException {
        double scale = 0.009007044399485869, min = -1.2069439495311063; // tiny_face_detector conv0/filters
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin")
                .uint8("simple", shape(4), "float32", 0.5, -1, 0, 1, 2, 255)
                .uint8("real", shape(3), "float32", scale, min, 0, 134, 255);
        TfjsWeights w = TfjsWeights.read(f.write(dir, "m.json"));
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 126.5f}, w.get("simple").values());
        // q * scale + min in double, rounded once to float (Float32Array store in tfjs-core decodeWeights).
        assertArrayEquals(new float[] {(float) min, (float) (134 * scale + min), (float) (255 * scale + min)},
                w.get("real").values());
    }

    @Test
    void dequantisesUint16() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").uint16("u", shape(3), 0.25, 10, 0, 4, 65535);
        assertArrayEquals(new float[] {10f, 11f, 10f + 65535 * 0.25f},
                TfjsWeights.read(f.write(dir, "m.json")).get("u").values());
    }

    @Test
    void decodesFloat16IncludingSubnormalsAndSigns() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").float16("h", shape(7), 0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x3555, 0x03FF);
        float[] v = TfjsWeights.read(f.write(dir, "m.json")).get("h").values();
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, -0f, 0.333251953125f, 1023 * 0x1p-24f}, v);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(v[4]));
    }

    @Test
    void float16InfinityAndNaNDecodeButAreRefusedAsNonFinite() throws IOException {
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat(0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat(0xFC00));
        assertTrue(Float.isNaN(Float16.toFloat(0x7E00)));
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").float16("h", shape(2), 0x3C00, 0x7C00);
        Path m = f.write(dir, "m.json");
        assertRefused(m, "'h'", "element 1", "Infinity");
        TfjsLimits lenient = new TfjsLimits(1 << 20, 8, 100, false);
        assertEquals(Float.POSITIVE_INFINITY, TfjsWeights.read(m, lenient).get("h").values()[1]);
    }

    @Test
    void readsInt32PlainAndQuantisedWithJsRounding() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin")
                .int32("plain", shape(3), -7, 0, 16777216)
                .uint8("count", shape(), "int32", 1, 5118, 0)        // ssd Postprocessor/stack/1
                .uint8("halves", shape(3), "int32", 0.5, -2.5, 0, 3, 6); // -2.5, -1.0, 0.5 -> Math.round
        TfjsWeights w = TfjsWeights.read(f.write(dir, "m.json"));
        assertArrayEquals(new float[] {-7, 0, 16777216}, w.get("plain").values());
        assertEquals(0, w.get("count").rank());
        assertArrayEquals(new float[] {5118}, w.get("count").values());
        assertArrayEquals(new float[] {-2, -1, 1}, w.get("halves").values());
    }

    @Test
    void refusesInt32ValuesAFloatCannotHold() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").int32("big", shape(2), 1, 16777217);
        assertRefused(f.write(dir, "m.json"), "'big'", "16777217", "exactly");
    }

    @Test
    void readsSeveralGroupsWithTensorsSpanningShardBoundaries() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("g0-1of3.bin", "g0-2of3.bin", "g0-3of3.bin")
                .float32("x", shape(3), 1, 2, 3)
                .uint8("y", shape(2, 3), "float32", 2, 1, 0, 1, 2, 3, 4, 5)
                .shards(List.of(), 6, 7); // 6 | 7 | 5 bytes: x and y both cross a boundary
        f.group("sub/g1.bin").float32("z", shape(1), 42);
        f.group("g2.bin"); // an empty group with an empty shard
        TfjsWeights w = TfjsWeights.read(f.write(dir, "m.json"));
        assertEquals(List.of("x", "y", "z"), List.copyOf(w.names()));
        assertArrayEquals(new float[] {1, 2, 3}, w.get("x").values());
        assertArrayEquals(new float[] {1, 3, 5, 7, 9, 11}, w.get("y").values());
        assertArrayEquals(new float[] {42}, w.get("z").values());
        assertEquals(6, Files.size(dir.resolve("g0-1of3.bin")));
    }

    @Test
    void readsZeroSizedTensorsAndModelJsonForm() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").float32("empty", shape(0, 3)).float32("one", shape(1), 7);
        Path arrayForm = f.write(dir, "m.json");
        String modelJson = "{\"format\":\"layers-model\",\"weightsManifest\":" + Files.readString(arrayForm) + "}";
        Path model = Files.writeString(dir.resolve("model.json"), modelJson);
        TfjsWeights w = TfjsWeights.read(model);
        assertEquals(0, w.get("empty").size());
        assertArrayEquals(new float[] {7}, w.get("one").values());
    }

    @Test
    void refusesTruncatedShardNamingBytesAndTensor() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").float32("a", shape(2), 1, 2).float32("b", shape(3), 1, 2, 3);
        Path m = f.write(dir, "m.json");
        byte[] all = Files.readAllBytes(dir.resolve("w.bin"));
        Files.write(dir.resolve("w.bin"), java.util.Arrays.copyOf(all, 17));
        assertRefused(m, "m.json", "truncated", "w.bin", "need 20 bytes", "17 are present", "'b'");
    }

    @Test
    void refusesMissingShard() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").float32("a", shape(1), 1);
        Path m = f.write(dir, "m.json");
        Files.delete(dir.resolve("w.bin"));
        assertRefused(m, "m.json", "shard w.bin", "missing");
    }

    @Test
    void refusesShardsLongerThanTheManifestSays() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").float32("a", shape(2), 1, 2);
        Path m = f.write(dir, "m.json");
        Files.write(dir.resolve("w.bin"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertRefused(m, "does not match", "3 bytes left over", "'a'");
    }

    @Test
    void refusesUnknownDtypes() throws IOException {
        for (String dtype : List.of("bool", "float64", "string", "complex64")) {
            TfjsFixture f = new TfjsFixture();
            f.group("w.bin").add(TfjsFixture.entry("t", shape(1), dtype, null), new byte[4]);
            assertRefused(f.write(dir, dtype + ".json"), "'t'", "unsupported dtype " + dtype);
        }
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").add(TfjsFixture.entry("q", shape(1), "float32", TfjsFixture.quant("int4", 1, 0)), new byte[1]);
        assertRefused(f.write(dir, "q.json"), "'q'", "unknown quantization dtype int4");
    }

    @Test
    void refusesFloat16OnInt32AndQuantisationWithoutScale() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").add(TfjsFixture.entry("i", shape(1), "int32", Map.of("dtype", "float16")), new byte[2]);
        assertRefused(f.write(dir, "a.json"), "'i'", "float16", "int32");
        TfjsFixture g = new TfjsFixture();
        g.group("w.bin").add(TfjsFixture.entry("s", shape(1), "float32", Map.of("dtype", "uint8", "min", 0)), new byte[1]);
        assertRefused(g.write(dir, "b.json"), "'s'", "'scale'");
    }

    @Test
    void refusesBadShapes() throws IOException {
        assertShapeRefused("[2,-3]", "negative size -3");
        assertShapeRefused("[2.5]", "non-integer size 2.5");
        assertShapeRefused("\"3\"", "'shape' must be an array");
        assertShapeRefused("[100000,100000,100000]", "more elements than one Java array holds");
        assertShapeRefused("[1,1,1,1,1,1,1,1,1]", "rank 9");
        assertShapeRefused("[30000,30000]", "limit"); // 3.6 GB once decoded > 1 GiB
    }

    private void assertShapeRefused(String shapeJson, String expected) throws IOException {
        Files.write(dir.resolve("w.bin"), new byte[4]);
        Path m = Files.writeString(dir.resolve("shape.json"),
                "[{\"paths\":[\"w.bin\"],\"weights\":[{\"name\":\"t\",\"shape\":" + shapeJson + ",\"dtype\":\"float32\"}]}]");
        assertRefused(m, "'t'", expected);
    }

    @Test
    void refusesDuplicateNamesWithinAndAcrossGroups() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("a.bin").float32("x", shape(1), 1).float32("y", shape(1), 2);
        f.group("b.bin").float32("x", shape(1), 3);
        assertRefused(f.write(dir, "m.json"), "duplicate tensor name 'x'", "group 0 weight 0", "group 1 weight 0");
    }

    @Test
    void refusesShardPathsLeavingTheManifestFolder() throws IOException {
        Path inner = Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("outside.bin"), new byte[4]);
        for (String path : List.of("../outside.bin", "sub/../../outside.bin", dir.resolve("outside.bin").toString(), ".", "..")) {
            TfjsFixture f = new TfjsFixture();
            f.group("w.bin").float32("a", shape(1), 1).paths(path);
            assertRefused(f.write(inner, "m.json"), "'" + path + "'", "inside the manifest's folder");
        }
    }

    @Test
    void refusesSymbolicLinksLeadingOutside() throws IOException {
        Path inner = Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("secret.bin"), new byte[4]);
        Files.createSymbolicLink(inner.resolve("w.bin"), dir.resolve("secret.bin"));
        TfjsFixture f = new TfjsFixture();
        f.group("x.bin").float32("a", shape(1), 1).paths("w.bin");
        assertRefused(f.write(inner, "m.json"), "'w.bin'", "outside the manifest's folder");
    }

    @Test
    void refusesTotalsAboveTheLimit() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").float32("a", shape(16), new float[16]).float32("b", shape(16), new float[16]);
        Path m = f.write(dir, "m.json");
        TfjsFormatException e = assertThrows(TfjsFormatException.class,
                () -> TfjsWeights.read(m, TfjsLimits.DEFAULT.withMaxTotalBytes(100)));
        assertContains(e.getMessage(), "'b'", "128 bytes", "limit of 100");
        assertEquals(2, TfjsWeights.read(m, TfjsLimits.DEFAULT.withMaxTotalBytes(128)).size());
    }

    @Test
    void refusesNonFiniteFloatsAndMalformedManifests() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").float32("n", shape(2), 1, Float.NaN);
        assertRefused(f.write(dir, "nan.json"), "'n'", "element 1 is NaN");

        assertRefused(Files.writeString(dir.resolve("bad.json"), "[{\"paths\": [\"w.bin\"], "), "bad.json", "not valid JSON");
        assertRefused(Files.writeString(dir.resolve("obj.json"), "{\"a\": 1}"), "obj.json", "expected a JSON array");
        assertRefused(Files.writeString(dir.resolve("nopaths.json"), "[{\"weights\": []}]"), "group 0", "'paths'");
        assertRefused(Files.writeString(dir.resolve("noname.json"),
                "[{\"paths\":[\"w.bin\"],\"weights\":[{\"shape\":[1],\"dtype\":\"float32\"}]}]"), "weight 0", "'name'");
        assertRefused(dir.resolve("absent.json"), "weights manifest not found", "absent.json");
    }

    @Test
    void missingTensorNamesTheFileAndSimilarNames() throws IOException {
        TfjsFixture f = new TfjsFixture();
        f.group("w.bin").float32("conv1/bias", shape(1), 1).float32("conv1/filters", shape(1), 2);
        TfjsWeights w = TfjsWeights.read(f.write(dir, "m.json"));
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> w.get("conv1/weights"));
        assertContains(e.getMessage(), "m.json", "'conv1/weights'", "conv1/bias, conv1/filters");
    }

    static void assertRefused(Path manifest, String... parts) {
        TfjsFormatException e = assertThrows(TfjsFormatException.class, () -> TfjsWeights.read(manifest),
                "expected " + manifest + " to be refused");
        assertContains(e.getMessage(), parts);
    }

    static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message lacks \"" + p + "\": " + message);
        }
    }
}
