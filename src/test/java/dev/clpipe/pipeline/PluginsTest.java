package dev.clpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.config.ConfigException;
import dev.clpipe.config.ConfigLoader;
import dev.clpipe.pipeline.stages.BuiltinStages;
import dev.clpipe.testing.ExamplePluginJar;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading plug-in jars: the example's stage type joins the built-in ones; every broken jar is refused naming it. */
class PluginsTest {
    private static final String SERVICE = "META-INF/services/dev.clpipe.pipeline.StageTypeProvider";

    @TempDir
    Path temp;

    @Test
    void theExamplePluginAddsItsStageTypeBesideTheBuiltInOnes() throws Exception {
        ExamplePluginJar.build(temp.resolve("plugins"));
        Plugins plugins = Plugins.load(temp.resolve("plugins"));
        StageRegistry registry = BuiltinStages.registry(plugins);
        assertTrue(registry.contains("drop-dark"));
        assertTrue(registry.contains("decode"));
        assertTrue(registry.contains("java-op"));
        assertEquals(BuiltinStages.registry().types().size() + 1, registry.types().size());
        assertEquals("org.example.clpipe.Gamma", plugins.classLoader().loadClass("org.example.clpipe.Gamma").getName());
    }

    @Test
    void validatePlansPluginStagesAndChecksTheirKeys() throws Exception {
        ExamplePluginJar.build(temp.resolve("plugins"));
        StageRegistry registry = BuiltinStages.registry(Plugins.load(temp.resolve("plugins")));
        Pipeline ok = Pipeline.plan(new ConfigLoader().load(ExamplePluginJar.SOURCES.resolve("pipeline.yaml")), registry);
        assertEquals(java.util.List.of("image-folder", "decode", "drop-dark", "java-op", "write-images"),
                ok.stages().stream().map(StagePlan::type).toList());
        Path bad = Files.writeString(temp.resolve("bad.yaml"), """
                input: %s
                stages:
                  - {type: image-folder}
                  - {type: decode}
                  - {type: drop-dark, min_mean: 2}
                """.formatted(temp));
        ConfigException e = assertThrows(ConfigException.class, () -> Pipeline.plan(new ConfigLoader().load(bad), registry));
        assertTrue(e.getMessage().contains("min_mean"), e.getMessage());
        ConfigException withoutPlugins = assertThrows(ConfigException.class,
                () -> Pipeline.plan(new ConfigLoader().load(ExamplePluginJar.SOURCES.resolve("pipeline.yaml")), BuiltinStages.registry()));
        assertTrue(withoutPlugins.getMessage().contains("unknown stage type \"drop-dark\""), withoutPlugins.getMessage());
    }

    @Test
    void aJavaOpClassThatIsNotThereOrNotAPixelOpIsAConfigErrorAtItsKey() throws Exception {
        for (String name : new String[] {"org.example.Missing", "java.lang.String"}) {
            Path yaml = Files.writeString(temp.resolve("op.yaml"), """
                    input: %s
                    stages:
                      - {type: image-folder}
                      - {type: decode}
                      - {type: java-op, class: %s}
                    """.formatted(temp, name));
            ConfigException e = assertThrows(ConfigException.class, () -> Pipeline.plan(new ConfigLoader().load(yaml), BuiltinStages.registry()));
            assertTrue(e.getMessage().contains("class") && e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void everyBrokenJarIsRefusedNamingIt() throws Exception {
        Path corrupt = Files.write(folder("corrupt").resolve("broken.jar"), new byte[] {1, 2, 3, 4});
        assertRefused(corrupt, "not a readable jar");
        Path empty = ExamplePluginJar.withFiles(folder("empty").resolve("empty.jar"), "README.txt", "nothing");
        assertRefused(empty, "holds no class and declares no stage types");
        Path missing = ExamplePluginJar.withFiles(folder("missing").resolve("missing.jar"), SERVICE, "org.example.NotThere\n");
        assertRefused(missing, "failed to load");
        Path notProvider = ExamplePluginJar.withFiles(folder("wrong").resolve("wrong.jar"), SERVICE, "java.lang.String\n");
        assertRefused(notProvider, "names no StageTypeProvider class of this jar");
        Path clash = folder("clash");
        Path source = Files.createDirectories(temp.resolve("clash-src/org/example"));
        Files.writeString(source.resolve("Clash.java"), """
                package org.example;
                public final class Clash implements dev.clpipe.pipeline.StageTypeProvider {
                    public java.util.List<dev.clpipe.pipeline.StageType> stageTypes(dev.clpipe.pipeline.Plugins plugins) {
                        return java.util.List.of(new dev.clpipe.pipeline.stages.DecodeStage());
                    }
                }
                """);
        Path services = Files.createDirectories(temp.resolve("clash-res/META-INF/services"));
        Files.writeString(services.resolve("dev.clpipe.pipeline.StageTypeProvider"), "org.example.Clash\n");
        Path clashJar = ExamplePluginJar.compile(temp.resolve("clash-src"), temp.resolve("clash-res"), clash.resolve("clash.jar"));
        PluginException e = assertThrows(PluginException.class, () -> BuiltinStages.registry(Plugins.load(clash)));
        assertTrue(e.getMessage().startsWith("plug-in " + clashJar) && e.getMessage().contains("\"decode\" (dev.clpipe.pipeline.stages.DecodeStage) is already defined"),
                e.getMessage());
        Path copies = folder("copies");
        ExamplePluginJar.build(copies);
        Files.copy(copies.resolve("example-plugin.jar"), copies.resolve("second-copy.jar"));
        assertRefused(copies.resolve("second-copy.jar"), "a copy?");
        assertTrue(assertThrows(PluginException.class, () -> Plugins.load(folder("none"))).getMessage().contains("holds no .jar"));
        assertTrue(assertThrows(PluginException.class, () -> Plugins.load(temp.resolve("absent"))).getMessage().contains("not a folder"));
    }

    private Path folder(String name) throws Exception {
        return Files.createDirectories(temp.resolve(name));
    }

    private static void assertRefused(Path jar, String why) {
        PluginException e = assertThrows(PluginException.class, () -> Plugins.load(jar.getParent()));
        assertTrue(e.getMessage().startsWith("plug-in " + jar + ": ") && e.getMessage().contains(why), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
