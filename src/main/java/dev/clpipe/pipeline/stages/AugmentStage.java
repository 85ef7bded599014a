package dev.clpipe.pipeline.stages;

import dev.clpipe.augment.AugmentConfig;
import dev.clpipe.augment.AugmentConfigReader;
import dev.clpipe.augment.Augmenter;
import dev.clpipe.augment.ImageBatch;
import dev.clpipe.augment.KernelVariant;
import dev.clpipe.augment.PreviewGrid;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageData;
import dev.clpipe.pipeline.Item;
import dev.clpipe.cl.parallel.DevicePool;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Placement;
import dev.clpipe.pipeline.Stage;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code type: augment}: makes {@code variants} augmented copies of every image on the OpenCL
 * device (one fused kernel pass per batch). Images are first scaled to {@code input_size} so a
 * batch has one shape. Variant k of sample i is drawn as "epoch k" of the counter-based random
 * stream, so every copy is reproducible from (seed, k, i) alone, whatever the batching.
 */
public final class AugmentStage implements StageType {
    private static final List<String> AUGMENT_KEYS = List.of("seed", "output_size", "fill", "ops", "kernels");

    @Override
    public String name() {
        return "augment";
    }

    @Override
    public String summary() {
        return "augment images on the device: mirror, crop, rotate, shear, scale, colour shift, PCA colour, elastic";
    }

    /** What a planned augment stage needs at run time. */
    record Settings(AugmentConfig config, KernelVariant variant, int variants, int inputHeight, int inputWidth) {}

    static Settings read(ConfigSection section, PipelineSettings pipeline) {
        Map<String, Object> augmentKeys = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) section.node().plain();
        for (String key : AUGMENT_KEYS) {
            section.describe(key, "see the augment stage table in the README").accept(key);
            if (plain.containsKey(key)) augmentKeys.put(key, plain.get(key));
        }
        AugmentConfig config = section.create(() -> AugmentConfigReader.read(augmentKeys, pipeline.seed()));
        KernelVariant variant = section.create(() -> AugmentConfigReader.variant(augmentKeys));
        int variants = section.describe("variants", "augmented copies written per input image").intIn("variants", 1, 1000, 1);
        List<Integer> input = section.describe("input_size", "[height, width] every image is scaled to first; default output_size")
                .intList("input_size", List.of(config.outputHeight(), config.outputWidth()));
        if (input.size() != 2 || input.get(0) < 1 || input.get(1) < 1 || input.get(0) > 16384 || input.get(1) > 16384) {
            throw section.error("input_size", "expected [height, width] within 1..16384, found " + input);
        }
        long batchBytes = (long) pipeline.batch() * config.outputHeight() * config.outputWidth() * 3;
        if (batchBytes > Integer.MAX_VALUE) { // one batch is one Java array: it must stay below 2 GiB
            throw section.error("output_size", "[" + config.outputHeight() + ", " + config.outputWidth() + "] with batch " + pipeline.batch()
                    + " needs " + batchBytes + " bytes per batch of RGB images, more than the 2147483647 one batch can hold; lower output_size or batch");
        }
        return new Settings(config, variant, variants, input.get(0), input.get(1));
    }

    @Override
    public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
        Settings settings = read(section, pipeline);
        Placement placement = Placement.read(section);
        return new StagePlan.OfStage(id, name(), context -> new Running(id, settings, placement, context));
    }

    /**
     * One augmenter per device of the stage. A batch is cut into pieces (two per device) that
     * each device takes when free; with one device the whole batch is one piece. Output depends
     * only on (seed, variant, item index), never on which device did a piece.
     */
    private static final class Running implements Stage {
        private final String id;
        private final Settings settings;
        private final StageContext context;
        private final DevicePool<Augmenter> pool;

        Running(String id, Settings settings, Placement placement, StageContext context) {
            this.id = id;
            this.settings = settings;
            this.context = context;
            this.pool = new DevicePool<>(context.devices(placement.device()), d -> new Augmenter(d, settings.config(), settings.variant()),
                    placement.faultPlan());
        }

        /** A piece's scaled inputs and its variants once augmented. */
        private record Done(ImageBatch inputs, ImageBatch[] byVariant) {}

        @Override
        public List<Item> process(List<Item> batch) throws Exception {
            if (batch.isEmpty()) return batch;
            List<BufferedImage> scaled = context.parallelMap(batch, item -> item.get(ImageData.class).withChannels(3).toBufferedImage());
            long[] indices = batch.stream().mapToLong(Item::index).toArray();
            List<DevicePool.Piece> pieces = pool.pieces(batch.size());
            List<Done> done = pool.map(pieces, DevicePool.Piece::size, (augmenter, p) -> {
                ImageBatch inputs = PreviewGrid.resizedBatch(scaled.subList(p.from(), p.to()), settings.inputHeight(), settings.inputWidth());
                long[] ids = java.util.Arrays.copyOfRange(indices, p.from(), p.to());
                ImageBatch[] byVariant = new ImageBatch[settings.variants()];
                for (int k = 0; k < settings.variants(); k++) byVariant[k] = augmenter.apply(inputs, k, ids);
                return new Done(inputs, byVariant);
            });
            List<Item> out = new ArrayList<>(batch.size() * settings.variants());
            for (int p = 0; p < pieces.size(); p++) {
                DevicePool.Piece piece = pieces.get(p);
                for (int n = piece.from(); n < piece.to(); n++) {
                    Item source = batch.get(n);
                    int local = n - piece.from();
                    source.put(AugmentInput.class, new AugmentInput(done.get(p).inputs(), local));
                    for (int k = 0; k < settings.variants(); k++) {
                        Item variant = source.derive(source.id() + "-v" + k);
                        out.add(variant.put(ImageData.class, toImage(done.get(p).byVariant()[k], local)));
                    }
                }
            }
            return out;
        }

        @Override
        public void close() {
            if (pool.size() > 1) Placement.recordDevices(context.metrics(), id, pool.toJson());
            pool.close();
        }
    }

    /** The scaled original an augmented variant came from (for preview sheets). */
    public record AugmentInput(ImageBatch batch, int index) {
        public ImageData image() {
            return toImage(batch, index);
        }
    }

    static ImageData toImage(ImageBatch batch, int n) {
        int bytes = batch.imageBytes();
        byte[] pixels = new byte[bytes];
        System.arraycopy(batch.pixels(), n * bytes, pixels, 0, bytes);
        return new ImageData(batch.width(), batch.height(), batch.channels(), pixels);
    }
}
