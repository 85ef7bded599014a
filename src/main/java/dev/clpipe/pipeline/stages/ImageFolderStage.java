package dev.clpipe.pipeline.stages;

import dev.clpipe.config.ConfigSection;
import dev.clpipe.data.ImageFolderSource;
import dev.clpipe.data.ImageRef;
import dev.clpipe.pipeline.Item;
import dev.clpipe.pipeline.PipelineSettings;
import dev.clpipe.pipeline.Source;
import dev.clpipe.pipeline.StagePlan;
import dev.clpipe.pipeline.StageType;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** {@code type: image-folder}: streams the image files under a folder, in a stable order. */
public final class ImageFolderStage implements StageType {
    @Override
    public String name() {
        return "image-folder";
    }

    @Override
    public String summary() {
        return "stream image files under a folder (recursive, sorted, optional class-per-subfolder labels, sharding)";
    }

    @Override
    public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
        Settings settings = read(section, pipeline);
        Set<String> exts = new HashSet<>(settings.extensions());
        return new StagePlan.OfSource(id, name(), context -> {
            ImageFolderSource source = ImageFolderSource.builder(settings.folder()).extensions(exts).labels(settings.labels())
                    .shard(settings.shardIndex(), settings.shardCount()).skipped(context.skipped()).build();
            return () -> items(source, settings);
        });
    }

    /** The keys of an image-folder stage, shared with engines that read folders their own way (Spark). */
    public record Settings(Path folder, List<String> extensions, boolean labels, int shardIndex, int shardCount) {}

    public static Settings read(ConfigSection section, PipelineSettings pipeline) {
        Path folder = section.describe("input", "folder to read; default the pipeline's input (--input)").optionalPath("input")
                .or(pipeline::input)
                .orElseThrow(() -> section.error("input", "no input folder: set 'input:' here or at the top, or pass --input PATH"));
        List<String> extensions = section.describe("extensions", "file extensions to read")
                .stringList("extensions", List.copyOf(ImageFolderSource.DEFAULT_EXTENSIONS.stream().sorted().toList()));
        boolean labels = section.describe("labels", "label = first subfolder name (class-per-subfolder)").bool("labels", false);
        String shard = section.describe("shard", "i/n: read every n-th file starting at i (split a job over machines)").string("shard", "0/1");
        int[] parsedShard = parseShard(section, shard);
        return new Settings(folder, extensions, labels, parsedShard[0], parsedShard[1]);
    }

    private static Iterator<Item> items(ImageFolderSource source, Settings settings) {
        Iterator<ImageRef> refs = source.iterator();
        return new Iterator<>() {
            private long index;

            @Override
            public boolean hasNext() {
                boolean more = refs.hasNext();
                if (!more && index == 0) throw nothingToRead(source, settings); // a silent exit 0 would look like success
                return more;
            }

            @Override
            public Item next() {
                ImageRef ref = refs.next();
                return new Item(ref.name(), index++).put(ImageRef.class, ref);
            }
        };
    }

    /** A data error (exit 4), one line naming the folder and what was looked for. */
    private static UncheckedIOException nothingToRead(ImageFolderSource source, Settings settings) {
        String what = "no image file (" + String.join(", ", settings.extensions()) + ") under " + source.root()
                + (settings.shardCount() > 1 ? " for shard " + settings.shardIndex() + "/" + settings.shardCount() : "");
        return new UncheckedIOException(what, new NoSuchFileException(what));
    }

    private static int[] parseShard(ConfigSection section, String shard) {
        String[] parts = shard.split("/");
        try {
            int i = Integer.parseInt(parts[0].trim());
            int n = Integer.parseInt(parts[1].trim());
            if (parts.length == 2 && n >= 1 && i >= 0 && i < n) return new int[] {i, n};
        } catch (RuntimeException e) {
            // fall through to the error below
        }
        throw section.error("shard", "expected i/n with 0 <= i < n (e.g. 0/4), found \"" + shard + "\"");
    }
}
