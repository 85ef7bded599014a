package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageData;
import dev.clpipe.face.align.FaceBox;
import dev.clpipe.face.align.FaceBoxes;
import dev.clpipe.face.io.BoxesCsv;
import dev.clpipe.pipeline.InputPaths;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code type: face-boxes}: attaches given face boxes instead of running a detector: from a
 * CSV ({@code image,x,y,w,h[,score]}, e.g. ground truth) or the whole image less a margin (for
 * folders of face crops). Images without a box get none and are counted by face-embed.
 */
public final class FaceBoxesStage implements StageType {
    @Override
    public String name() {
        return "face-boxes";
    }

    @Override
    public String summary() {
        return "attach given face boxes (CSV image,x,y,w,h or the whole image) instead of detecting";
    }

    @Override
    public StagePlan plan(String id, ConfigSection s, PipelineSettings pipeline) {
        String from = s.describe("from", "csv (file: image,x,y,w,h[,score]) or whole-image").choice("from", List.of("csv", "whole-image"), "csv");
        Path file = from.equals("csv") ? InputPaths.file(s, "file", s.describe("file", "boxes CSV, relative to this YAML file").path("file"), null) : null;
        double margin = s.describe("margin", "whole-image: fraction cut from each side").doubleIn("margin", 0, 0.45, 0);
        return new StagePlan.OfStage(id, name(), context -> {
            Map<String, List<FaceBox>> byImage = file == null ? null : BoxesCsv.read(file);
            return batch -> {
                for (var item : batch) {
                    if (byImage != null) {
                        item.put(FaceBoxes.class, new FaceBoxes(byImage.getOrDefault(item.id(), List.of())));
                    } else {
                        ImageData img = item.get(ImageData.class);
                        double mx = img.width() * margin, my = img.height() * margin;
                        item.put(FaceBoxes.class, new FaceBoxes(List.of(new FaceBox(mx, my, img.width() - 2 * mx, img.height() - 2 * my, 1))));
                    }
                }
                return batch;
            };
        });
    }
}
