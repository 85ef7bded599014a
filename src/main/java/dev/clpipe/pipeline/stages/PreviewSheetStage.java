package dev.clpipe.pipeline.stages;

import dev.clpipe.augment.ImageBatch;
import dev.clpipe.augment.PreviewGrid;
import dev.clpipe.config.ConfigPaths;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.AtomicFiles;
import dev.clpipe.data.ImageData;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@code type: preview-sheet}: after an augment stage, draws one PNG per batch with a row per
 * image: the (scaled) original, then each of its variants, to look at what augmentation does.
 */
public final class PreviewSheetStage implements StageType {
    @Override
    public String name() {
        return "preview-sheet";
    }

    @Override
    public String summary() {
        return "after augment: PNG sheets, one row per image: original then its variants";
    }

    @Override
    public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
        String folder = section.describe("folder", "output folder inside the run folder").string("folder", "previews");
        ConfigPaths.resolveInside(Path.of("/run-folder"), folder, section.originOf("folder"), section.keyPath("folder"));
        return new StagePlan.OfStage(id, name(), context -> {
            Path out = ConfigPaths.resolveInside(context.runFolder().path(), folder);
            return batch -> {
                if (!batch.isEmpty()) {
                    BufferedImage sheet = sheet(batch);
                    ByteArrayOutputStream png = new ByteArrayOutputStream();
                    ImageIO.write(sheet, "png", png);
                    AtomicFiles.write(out.resolve(String.format("preview-%06d.png", batch.get(0).index())),
                            context.runFolder().resumed(), png.toByteArray());
                }
                return batch;
            };
        });
    }

    /** Groups variants by the image they came from, in order, and lays them out in rows. */
    static BufferedImage sheet(List<Item> batch) {
        Map<String, List<Item>> byOrigin = new LinkedHashMap<>();
        for (Item item : batch) byOrigin.computeIfAbsent(item.origin(), k -> new ArrayList<>()).add(item);
        int variants = byOrigin.values().stream().mapToInt(List::size).min().orElse(0);
        List<BufferedImage> originals = new ArrayList<>();
        List<List<BufferedImage>> columns = new ArrayList<>();
        for (int k = 0; k < variants; k++) columns.add(new ArrayList<>());
        for (List<Item> group : byOrigin.values()) {
            originals.add(group.get(0).get(AugmentStage.AugmentInput.class).image().toBufferedImage());
            for (int k = 0; k < variants; k++) columns.get(k).add(group.get(k).get(ImageData.class).toBufferedImage());
        }
        ImageBatch[] variantBatches = new ImageBatch[variants];
        for (int k = 0; k < variants; k++) variantBatches[k] = ImageBatch.ofImages(columns.get(k));
        return PreviewGrid.render(ImageBatch.ofImages(originals), variantBatches);
    }
}
