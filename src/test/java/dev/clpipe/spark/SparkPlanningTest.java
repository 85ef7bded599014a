package dev.clpipe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClDevice;
import dev.clpipe.cl.DeviceType;
import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.data.ImageFolderSource;
import dev.clpipe.data.ImageRef;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.StageType;
import dev.clpipe.pipeline.stages.BuiltinStages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark pieces that need no Spark: stage registry, plan shape, glob, walk order, GPU mapping. */
class SparkPlanningTest {
    @TempDir
    Path temp;

    @Test
    void sparkStagesKeepEveryOneMachineTypeAndReplaceTheSource() {
        List<String> oneMachine = BuiltinStages.registry().types().stream().map(StageType::name).toList();
        var spark = SparkStages.of(BuiltinStages.registry()).types();
        assertEquals(oneMachine, spark.stream().map(StageType::name).toList());
        assertTrue(spark.stream().anyMatch(t -> t instanceof dev.clpipe.pipeline.stages.DecodeStage), "decode reads ImageBytes itself");
        assertTrue(spark.stream().anyMatch(t -> t instanceof BinaryFileSourceStage));
    }

    @Test
    void planFindsTheFolderExtensionsAndPerImageStages() throws IOException {
        SparkPlan plan = SparkPlan.of(plan("""
                input: photos
                stages:
                  - {id: read, type: image-folder, extensions: [PNG, jpg]}
                  - {type: decode}
                  - {type: write-images}
                """));
        assertEquals(temp.resolve("photos"), plan.input().folder());
        assertEquals(List.of("png", "jpg").stream().sorted().toList(), plan.input().extensions());
        assertEquals(List.of("read", "decode", "write-images"), plan.stageIds());
    }

    @Test
    void shardAndLabelsAreRefusedWithAMessage() throws IOException {
        ConfigException shard = assertThrows(ConfigException.class, () -> plan("""
                input: photos
                stages: [{type: image-folder, shard: 1/4}, {type: decode}]
                """));
        assertTrue(shard.getMessage().contains("Spark splits the input"), shard.getMessage());
        assertThrows(ConfigException.class, () -> plan("""
                input: photos
                stages: [{type: image-folder, labels: true}, {type: decode}]
                """));
    }

    @Test
    void globMatchesEveryLetterCase() {
        BinaryFileInput input = new BinaryFileInput(temp, List.of("png", "JPEG"), false);
        assertEquals("*.{[jJ][pP][eE][gG],[pP][nN][gG]}", input.globFilter());
    }

    @Test
    void walkOrderIsTheOneMachineFolderWalk() throws IOException {
        Path root = temp.resolve("w");
        for (String name : List.of("a/b.png", "a-c.png", "a/z/y.png", "a/.hidden/x.png", "B.PNG", "a/b0.png", "notes.txt", "_x.png")) {
            Files.createDirectories(root.resolve(name).getParent());
            Files.write(root.resolve(name), new byte[] {1});
        }
        List<String> expected = new ArrayList<>();
        for (ImageRef ref : ImageFolderSource.of(root)) expected.add(ref.name());
        String prefix = "file:" + root + "/";
        String[] listed = {prefix + "a-c.png", prefix + "a/z/y.png", prefix + "a/b.png", prefix + "B.PNG", prefix + "a/b0.png",
            prefix + "notes.txt", prefix + "a/.hidden/x.png", prefix + "_x.png"};
        Map<String, Long> index = WalkOrder.index(listed, prefix, new BinaryFileInput(root, List.of("png"), false));
        List<String> ordered = new ArrayList<>(index.keySet());
        ordered.sort((x, y) -> Long.compare(index.get(x), index.get(y)));
        assertEquals(expected, ordered);
    }

    @Test
    void anAssignedGpuAddressBecomesThatOpenClGpu() {
        List<ClDevice> gpus = List.of(gpu(0, 0), gpu(1, 0), gpu(1, 1));
        assertEquals("1:1", GpuAssignment.deviceFor("auto", "2", gpus));
        assertEquals("0:0", GpuAssignment.deviceFor("gpu", "0", gpus));
        assertEquals("cpu", GpuAssignment.deviceFor("cpu", "1", gpus), "an explicit choice wins");
        assertThrows(IllegalArgumentException.class, () -> GpuAssignment.deviceFor("auto", "3", gpus));
    }

    private static ClDevice gpu(int platform, int device) {
        return new ClDevice(null, null, platform, "p", device, DeviceType.GPU, "v", "g", "1", "3.0", 8, 1L << 30, 1 << 16, 256, true);
    }

    private Pipeline plan(String yaml) throws IOException {
        Path file = Files.writeString(temp.resolve("p.yaml"), yaml);
        return Pipeline.plan(new ConfigLoader().load(file, Map.of(), List.of()), SparkStages.of(BuiltinStages.registry()));
    }
}
