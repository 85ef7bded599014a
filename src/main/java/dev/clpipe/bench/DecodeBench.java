package dev.clpipe.bench;

import dev.clpipe.data.ImageDecoder;
import dev.clpipe.data.ImageRejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Decoding real JPEG photos from memory (file reading excluded), on one thread and on all cores:
 * the rate a folder job cannot beat, to compare with the augmentation rate.
 */
final class DecodeBench {
    /** One measurement: photos decoded per second and megapixels per second. */
    record Rate(int photos, int threads, double imagesPerSecond, double megapixelsPerSecond) {}

    private DecodeBench() {}

    /** JPEG files under {@code folder} (e.g. data/photos), read into memory; empty when absent. */
    static List<byte[]> jpegs(Path folder) {
        return files(folder, ".*\\.jpe?g");
    }

    /** The bytes of every file under {@code folder} whose lower-case name matches {@code regex}, sorted by path. */
    static List<byte[]> files(Path folder, String regex) {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(regex))
                    .sorted().map(DecodeBench::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes every photo repeatedly for about {@code seconds}, on one thread or on the common pool. */
    static Rate measure(List<byte[]> photos, boolean parallel, double seconds) {
        ImageDecoder decoder = new ImageDecoder();
        pass(decoder, photos, parallel); // warm-up: JIT and ImageIO's readers
        long pixels = 0;
        int decoded = 0;
        long start = System.nanoTime();
        do {
            pixels += pass(decoder, photos, parallel);
            decoded += photos.size();
        } while (System.nanoTime() - start < seconds * 1e9);
        double elapsed = (System.nanoTime() - start) / 1e9;
        int threads = parallel ? Runtime.getRuntime().availableProcessors() : 1;
        return new Rate(photos.size(), threads, decoded / elapsed, pixels / elapsed / 1e6);
    }

    private static long pass(ImageDecoder decoder, List<byte[]> photos, boolean parallel) {
        Stream<byte[]> stream = parallel ? photos.parallelStream() : photos.stream();
        return stream.mapToLong(bytes -> pixels(decoder, bytes)).sum();
    }

    private static long pixels(ImageDecoder decoder, byte[] bytes) {
        try {
            return decoder.decode(bytes, "bench.jpg").image().pixelCount();
        } catch (ImageRejectedException e) {
            return 0;
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
