package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageData;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Placement;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import dev.clpipe.javaop.PixelOp;
import dev.clpipe.javaop.PixelOpRunner;
import java.lang.reflect.Constructor;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code type: java-op}: a {@link PixelOp} written in Java (in a {@code --plugins} jar or on the
 * class path) applied to every decoded image on the stage's OpenCL device through Aparapi. A
 * kernel Aparapi would run on its Java thread pool instead is refused (exit 3) when the stage
 * opens, unless {@code allow_java_fallback: true}.
 */
public final class JavaOpStage implements StageType {
    private static final Logger LOG = LogManager.getLogger(JavaOpStage.class);
    private final ClassLoader classes;

    public JavaOpStage(ClassLoader classes) {
        this.classes = classes;
    }

    @Override
    public String name() {
        return "java-op";
    }

    @Override
    public String summary() {
        return "a per-pixel operation written in Java (a PixelOp subclass), run on the OpenCL device through Aparapi";
    }

    @Override
    public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
        String className = section.describe("class", "PixelOp subclass (in a --plugins jar or on the class path)").string("class");
        Constructor<? extends PixelOp> constructor;
        try {
            constructor = constructorOf(className);
        } catch (IllegalArgumentException e) {
            throw section.error("class", e.getMessage());
        }
        List<Double> values = section.describe("params", "numbers the op reads as params[0], params[1], ...").doubleList("params", List.of());
        boolean allowFallback = section.describe("allow_java_fallback",
                "accept Aparapi running the op on a Java thread pool when it cannot run it on the device (otherwise exit 3)").bool("allow_java_fallback", false);
        Placement placement = Placement.read(section);
        float[] params = new float[values.size()];
        for (int i = 0; i < params.length; i++) params[i] = values.get(i).floatValue();
        return new StagePlan.OfStage(id, name(), context -> {
            PixelOpRunner runner = PixelOpRunner.onDevice(constructor.newInstance(), context.devices(placement.device()).get(0).device(),
                    allowFallback, params);
            runner.apply(ImageData.blank(2, 2, 3)); // a kernel Aparapi cannot translate is found now, not mid-stream
            LOG.info("java-op {}: {} on {}{}", id, className, runner.deviceName(), runner.ranOnDevice() ? "" : " - fell back to Aparapi's Java thread pool (allowed)");
            return new dev.clpipe.pipeline.Stage() {
                @Override
                public List<Item> process(List<Item> batch) {
                    for (Item item : batch) item.put(ImageData.class, runner.apply(item.get(ImageData.class)));
                    return batch;
                }

                @Override
                public void close() {
                    runner.close();
                }
            };
        });
    }

    private Constructor<? extends PixelOp> constructorOf(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, classes);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("class " + className + " not found (give its jar's folder with --plugins DIR)");
        }
        if (!PixelOp.class.isAssignableFrom(type)) throw new IllegalArgumentException(className + " does not extend " + PixelOp.class.getName());
        try {
            return type.asSubclass(PixelOp.class).getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(className + " has no public no-argument constructor");
        }
    }
}
