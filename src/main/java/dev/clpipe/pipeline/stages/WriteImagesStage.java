package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigPaths;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageSink;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code type: write-images}: writes each item's image under the run folder, keeping the source's
 * relative path; a file whose extension is not the output format's keeps it before the new one
 * ({@code b.jpg} becomes {@code b.jpg.png}). Atomic writes, never overwriting.
 */
public final class WriteImagesStage implements StageType {
    @Override
    public String name() {
        return "write-images";
    }

    @Override
    public String summary() {
        return "write images (PNG or JPEG) into a folder of the run folder, mirroring the input tree";
    }

    @Override
    public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
        String folder = section.describe("folder", "output folder inside the run folder").string("folder", "images");
        // Checked now against a stand-in root, so a '../' escape fails before anything runs.
        ConfigPaths.resolveInside(Path.of("/run-folder"), folder, section.originOf("folder"), section.keyPath("folder"));
        ImageSink.Format format = section.create(() -> ImageSink.Format.parse(
                section.describe("format", "png or jpg").choice("format", List.of("png", "jpg", "jpeg"), "png")));
        double quality = section.describe("quality", "JPEG quality, 0 < q <= 1").doubleIn("quality", 0.01, 1.0, 0.92);
        int level = section.describe("compression", "PNG zlib level 0..9: 1 (default, as OpenCV) is fast; 9 is ~10% smaller and several times slower")
                .intIn("compression", 0, 9, dev.clpipe.data.PngEncoder.DEFAULT_LEVEL);
        return new StagePlan.OfStage(id, name(), context -> {
            ImageSink sink = new ImageSink(ConfigPaths.resolveInside(context.runFolder().path(), folder), format, (float) quality, false, level);
            return batch -> write(batch, sink, context);
        });
    }

    private static List<Item> write(List<Item> batch, ImageSink sink, dev.clpipe.pipeline.StageContext context) throws Exception {
        context.parallelMap(batch, item -> sink.write(outputName(item.id(), sink.format()), item.get(ImageData.class)));
        return batch;
    }

    /**
     * {@code a/b.png} stays {@code a/b.png}; {@code a/b.jpg} becomes {@code a/b.jpg.png}, so that
     * {@code b.jpg} and {@code b.png} side by side never collide.
     */
    static Path outputName(String id, ImageSink.Format format) {
        String lower = id.toLowerCase(java.util.Locale.ROOT);
        boolean sameFormat = format == ImageSink.Format.PNG ? lower.endsWith(".png") : lower.matches(".*\\.jpe?g$");
        return Path.of(sameFormat ? id : id + "." + format.extension());
    }
}
