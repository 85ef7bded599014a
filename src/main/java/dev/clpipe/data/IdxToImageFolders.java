package dev.clpipe.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes an IDX dataset (MNIST layout, plain or .gz) as labelled PNG folders,
 * {@code OUT/train/<class>/NNNNN.png} and {@code OUT/test/<class>/NNNNN.png} (NNNNN the index in the
 * IDX file), on all cores with {@link ImageSink}; a {@code .done} stamp makes it idempotent.
 * Usage: {@code IdxToImageFolders IDX_DIR OUT_DIR [CLASS_NAME,...]} (default names 0..9).
 */
public final class IdxToImageFolders {
    private IdxToImageFolders() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: IdxToImageFolders IDX_DIR OUT_DIR [CLASS_NAME,...]");
            System.exit(2);
        }
        Path idx = Path.of(args[0]), out = Path.of(args[1]);
        if (Files.isRegularFile(out.resolve(".done"))) {
            System.out.println(out + " already written (remove it to write again)");
            return;
        }
        List<String> names = args.length > 2 ? List.of(args[2].split(",")) : null;
        long t0 = System.nanoTime();
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long n = write(idx, "train", out.resolve("train"), names, pool) + write(idx, "t10k", out.resolve("test"), names, pool);
            Files.writeString(out.resolve(".done"), "from " + idx.toAbsolutePath() + "\n");
            System.out.printf("wrote %d PNG files under %s in %.1f s on %d threads%n", n, out, (System.nanoTime() - t0) / 1e9, threads);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long write(Path idx, String prefix, Path out, List<String> names, ExecutorService pool) throws Exception {
        IdxReader.Labelled data = IdxReader.readLabelled(IdxReader.locate(idx, prefix + "-images-idx3-ubyte"), IdxReader.locate(idx, prefix + "-labels-idx1-ubyte"));
        ImageSink sink = new ImageSink(out, ImageSink.Format.PNG, 1f, true);
        int width = String.valueOf(data.count() - 1).length();
        int threads = Runtime.getRuntime().availableProcessors();
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            parts.add(pool.submit(() -> {
                for (int i = first; i < data.count(); i += threads) {
                    int label = data.label(i);
                    String cls = names == null ? Integer.toString(label) : names.get(label);
                    sink.write(Path.of(cls, String.format("%0" + width + "d.png", i)), data.image(i));
                }
                return null;
            }));
        }
        for (Future<?> f : parts) f.get();
        return data.count();
    }

}
