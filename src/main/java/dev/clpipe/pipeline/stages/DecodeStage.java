package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.DecodedImage;
import dev.clpipe.data.DecoderChoice;
import dev.clpipe.data.ImageBytes;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageDecoder;
import dev.clpipe.data.ImageRef;
import dev.clpipe.data.ImageRejectedException;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.StageContext;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code type: decode}: decodes image files (or bytes a source already read, e.g. Spark's
 * binaryFile) on the worker pool, refusing bad ones (empty, truncated, not an image, too large,
 * decompression bombs) into skipped.csv; the run goes on. JPEGs go through libjpeg-turbo when it is
 * installed ({@code decoder: auto}, said once when it is not) and may be decoded at 1/2, 1/4 or 1/8
 * scale ({@code reduce_to_side}); run.json records which decoder each format used.
 */
public final class DecodeStage implements StageType {
    private static final Logger LOG = LogManager.getLogger(DecodeStage.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    @Override
    public String name() {
        return "decode";
    }

    @Override
    public String summary() {
        return "decode PNG/JPEG/BMP/GIF in parallel; bad files are skipped and listed in skipped.csv";
    }

    @Override
    public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
        long maxPixels = section.describe("max_pixels", "refuse images with more pixels (decompression bombs)")
                .longValue("max_pixels", ImageDecoder.Options.DEFAULT_MAX_PIXELS);
        int maxSide = section.describe("max_side", "refuse images with a longer side").intIn("max_side", 1, 1 << 20,
                ImageDecoder.Options.DEFAULT_MAX_SIDE);
        int channels = section.describe("channels", "convert to 1 (grey), 3 (RGB) or 4 (RGBA); 0 keeps the file's")
                .intIn("channels", 0, 4, 3);
        if (channels == 2) throw section.error("channels", "expected 0, 1, 3 or 4, found 2");
        DecoderChoice choice = section.describe("decoder", "JPEG decoder: auto (libjpeg-turbo when installed, else ImageIO), turbo or imageio")
                .create(() -> DecoderChoice.parse(section.choice("decoder", List.of("auto", "turbo", "imageio"), "auto")));
        int reduceTo = section.describe("reduce_to_side", "decode JPEGs at 1/2, 1/4 or 1/8 scale while both sides stay at least this long "
                + "(set it to the next stage's input size); 0 = full size").intIn("reduce_to_side", 0, 1 << 20, 0);
        ImageDecoder.Options options = section.create(() -> ImageDecoder.Options.defaults().withMaxPixels(maxPixels).withMaxSide(maxSide)
                .withDecoder(choice).withReduceToSide(reduceTo));
        ImageDecoder decoder = new ImageDecoder(options); // decoder: turbo without the library stops here (exit 3)
        if (choice == DecoderChoice.AUTO && !DecoderChoice.turboAvailable() && WARNED.compareAndSet(false, true)) {
            LOG.warn("{}: JPEGs are decoded with ImageIO, about 3x slower: {}", id, DecoderChoice.turboUnavailableReason());
        }
        return new StagePlan.OfStage(id, name(), context -> batch -> decode(batch, decoder, channels, context));
    }

    private static List<Item> decode(List<Item> batch, ImageDecoder decoder, int channels, StageContext context) throws Exception {
        List<Item> decoded = context.parallelMap(batch, item -> {
            try {
                Optional<ImageBytes> bytes = item.find(ImageBytes.class);
                DecodedImage result = bytes.isPresent() ? decoder.decode(bytes.get().bytes(), item.id())
                        : decoder.decode(item.get(ImageRef.class).absolute(), item.id());
                context.noteDecoder(result.format().name(), result.decoder());
                ImageData image = result.image();
                item.remove(ImageBytes.class); // the pixels replace the encoded bytes
                return item.put(ImageData.class, channels == 0 ? image : image.withChannels(channels));
            } catch (ImageRejectedException e) {
                context.skipped().add(e);
                return null;
            }
        });
        List<Item> kept = new ArrayList<>(decoded.size());
        for (Item item : decoded) if (item != null) kept.add(item);
        return kept;
    }
}
