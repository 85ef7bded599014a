package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigPaths;
import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageRef;
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
 * ({@code b.jpg} becomes {@code b.jpg.png}). Atomic writes; a new run never overwrites, a resumed
 * one replaces what an unfinished batch of the earlier part wrote (same input, same bytes).
 */
public final class WriteImagesStage implements StageType {
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();

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
        if (format == ImageSink.Format.PNG && dev.clpipe.data.PngEncoder.libdeflateUnavailableReason() != null
                && WARNED.compareAndSet(false, true)) {
            org.apache.logging.log4j.LogManager.getLogger(WriteImagesStage.class).warn("{}: PNGs are compressed with the JDK's zlib, about 2x slower: {}",
                    id, dev.clpipe.data.PngEncoder.libdeflateUnavailableReason());
        }
        return new StagePlan.OfStage(id, name(), context -> {
            ImageSink sink = new ImageSink(ConfigPaths.resolveInside(context.runFolder().path(), folder), format, (float) quality,
                    context.runFolder().resumed(), level);
            context.noteEncoder(id, sink.encoder());
            return new Writer(sink, context);
        });
    }

    /**
     * Encodes each image on the CPU workers and hands the bytes to a few I/O threads that write,
     * force to disk and rename, so a worker never sits in fsync (about 10 ms a file here) while
     * there is encoding or decoding to do. A batch returns only when all its files are on disk, so
     * the journal, written after it, never names a file that a crash could lose.
     */
    static final class Writer implements dev.clpipe.pipeline.Stage {
        /** fsyncs in flight: the file system commits concurrent ones together. */
        static final int IO_THREADS = 8;
        private final ImageSink sink;
        private final dev.clpipe.pipeline.StageContext context;
        private final java.util.concurrent.ExecutorService io;

        Writer(ImageSink sink, dev.clpipe.pipeline.StageContext context) {
            this.sink = sink;
            this.context = context;
            this.io = java.util.concurrent.Executors.newFixedThreadPool(IO_THREADS, r -> {
                Thread t = new Thread(r, "clpipe-write-io");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public List<Item> process(List<Item> batch) throws Exception {
            List<java.util.concurrent.CompletableFuture<Path>> written = new java.util.ArrayList<>(batch.size());
            java.util.concurrent.Executor workers = context.stageWorkers();
            for (Item item : batch) {
                Path name = outputName(item, sink.format());
                sink.targetFor(name); // a path leaving the output folder fails before any encoding
                written.add(java.util.concurrent.CompletableFuture
                        .supplyAsync(() -> encode(item), workers)
                        .thenApplyAsync(bytes -> store(name, bytes), io));
            }
            context.joinAll(written);
            return batch;
        }

        private byte[] encode(Item item) {
            try {
                return sink.encode(item.get(ImageData.class));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private Path store(Path name, byte[] bytes) {
            try {
                return sink.store(name, bytes);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            io.shutdownNow();
        }
    }

    /**
     * {@code a/b.png} stays {@code a/b.png}; {@code a/b.jpg} becomes {@code a/b.jpg.png}, so that
     * {@code b.jpg} and {@code b.png} side by side never collide. Only the format's own lower-case
     * extension is kept ({@code B.PNG} becomes {@code B.PNG.png}: the sink would write it as
     * {@code B.png}, over a neighbour of that name). Should the input folder also hold a file named
     * like the result ({@code b.jpg} beside {@code b.jpg.png}), the extension is added again until
     * the name is free, so no two inputs share an output.
     */
    static Path outputName(Item item, ImageSink.Format format) {
        String id = item.id();
        if (id.endsWith("." + format.extension())) return Path.of(id);
        String name = id + "." + format.extension();
        java.util.Optional<ImageRef> ref = item.find(ImageRef.class).filter(r -> r.name().equals(id));
        while (ref.isPresent() && java.nio.file.Files.exists(ref.get().absolute().resolveSibling(Path.of(name).getFileName().toString()),
                java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            name += "." + format.extension();
        }
        return Path.of(name);
    }
}
