package dev.clpipe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClContext;
import dev.clpipe.data.DecoderChoice;
import dev.clpipe.data.ImageData;
import dev.clpipe.data.ImageDecoder;
import dev.clpipe.data.ImageRejectedException;
import dev.clpipe.data.ImageSink;
import dev.clpipe.data.PngEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToLongFunction;

/**
 * {@code clpipe bench io}: host image I/O on the JPEG photos of data/photos (read into memory
 * first): decode MP/s with libjpeg-turbo on one thread and on two workers, with ImageIO on one
 * thread, DCT-scaled decoding for detection (416) and training (64), PNG decoding (ImageIO) of the
 * PNG files, PNG encoding at levels 1/3/6 (libdeflate when installed), with the JDK's zlib at level
 * 1 and with ImageIO's writer; and, in the same run, OpenCV's imdecode/imencode (and libspng's
 * decoder through ctypes, when libspng0 is installed) on the same
 * files through the dev-only script {@code src/test/resources/bench/opencv_io_bench.py} (Debian
 * python3-opencv) when it is there, with the ratios. Host-only: the device is not used.
 */
public final class IoSuite implements BenchSuite {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    static final String SCRIPT = "src/test/resources/bench/opencv_io_bench.py";
    /** PNG encoding is slow (~0.1 s per photo): the first photos only, the same ones OpenCV encodes. */
    static final int ENCODE_IMAGES = 16;

    @Override
    public String name() {
        return "io";
    }

    @Override
    public void run(ClContext context, boolean quick, java.util.function.Consumer<BenchResult> sink, PrintStream log) {
        Path folder = Path.of(System.getProperty("clpipe.bench.photos", "data/photos"));
        List<byte[]> all = DecodeBench.jpegs(folder);
        double budget = quick ? 0.5 : 2;
        if (log != null) log.println("# io bench on " + folder + " (load average at start: " + AugmentBench.loadAverage() + ")");
        if (all.isEmpty()) {
            if (log != null) log.println("# no JPEGs under " + folder + " (make data, or -Dclpipe.bench.photos=DIR)");
            return;
        }
        ImageDecoder imageio = new ImageDecoder(ImageDecoder.Options.defaults().withDecoder(DecoderChoice.IMAGEIO));
        List<byte[]> photos = all.stream().filter(b -> pixels(imageio, b) > 0).toList(); // the decodable ones, as OpenCV's
        boolean turbo = DecoderChoice.turboAvailable();
        if (!turbo && log != null) log.println("# libjpeg-turbo rows skipped: " + DecoderChoice.turboUnavailableReason());
        String shape = photos.size() + " JPEG photos";
        Rate turbo1 = null;
        Rate turbo2 = null;
        Rate reduced416 = null;
        Rate reduced64 = null;
        if (turbo) {
            ImageDecoder t = new ImageDecoder(ImageDecoder.Options.defaults().withDecoder(DecoderChoice.TURBO));
            turbo1 = emit(sink, "decode JPEG libjpeg-turbo (1 thread)", shape, measure(photos, b -> pixels(t, b), 1, budget));
            turbo2 = emit(sink, "decode JPEG libjpeg-turbo (2 workers)", shape, measure(photos, b -> pixels(t, b), 2, budget));
            ImageDecoder r416 = new ImageDecoder(t.options().withReduceToSide(416));
            ImageDecoder r64 = new ImageDecoder(t.options().withReduceToSide(64));
            reduced416 = emit(sink, "decode JPEG reduce_to_side 416 (1 thread)", shape, measure(photos, b -> pixels(r416, b), 1, budget));
            reduced64 = emit(sink, "decode JPEG reduce_to_side 64 (1 thread)", shape, measure(photos, b -> pixels(r64, b), 1, budget));
            double ns = jnaCallNanos();
            sink.accept(BenchResult.call("JNA call overhead (tjBufSize)", "1 call", "TurboJpegLibrary", BenchDevice.host(), ns / 1e6, Double.NaN)
                    .with("ns_per_call", ns));
        }
        Rate io1 = emit(sink, "decode JPEG imageio (1 thread)", shape, measure(photos, b -> pixels(imageio, b), 1, budget));
        List<byte[]> pngs = DecodeBench.files(folder, ".*\\.png").stream().filter(b -> pixels(imageio, b) > 0).toList();
        Rate png1 = pngs.isEmpty() ? null
                : emit(sink, "decode PNG imageio (1 thread)", pngs.size() + " PNG files", measure(pngs, b -> pixels(imageio, b), 1, budget));
        List<ImageData> images = photos.stream().limit(ENCODE_IMAGES).map(b -> decode(imageio, b)).toList();
        double[] pngRates = new double[10];
        for (int level : new int[] {1, 3, 6}) {
            PngEncoder enc = new PngEncoder(level);
            long[] bytes = new long[1];
            Rate r = measure(images, img -> {
                bytes[0] = enc.encode(img).length;
                return img.pixelCount();
            }, 1, budget);
            pngRates[level] = r.imagesPerCpuSecond;
            sink.accept(BenchResult.rate("encode PNG level " + level + " (1 thread)", images.size() + " decoded photos",
                    "PngEncoder", BenchDevice.host(), r.imagesPerSecond, Double.NaN)
                    .with("images_per_cpu_s", r.imagesPerCpuSecond).with("mb_per_image", averagePngMb(enc, images)));
        }
        PngEncoder jdkZlib = PngEncoder.withJdkZlib(1);
        Rate zlib1 = measure(images, img -> jdkZlib.encode(img).length > 0 ? img.pixelCount() : 0, 1, budget);
        sink.accept(BenchResult.rate("encode PNG level 1 JDK zlib (1 thread)", images.size() + " decoded photos",
                "PngEncoder JDK zlib", BenchDevice.host(), zlib1.imagesPerSecond, Double.NaN)
                .with("images_per_cpu_s", zlib1.imagesPerCpuSecond).with("mb_per_image", averagePngMb(jdkZlib, images)));
        ratio(sink, "ratio encode PNG level 1 per CPU-s: " + PngEncoder.deflater() + "/JDK zlib", pngRates[1] / zlib1.imagesPerCpuSecond);
        Rate ioPng = measure(images, IoSuite::imageIoPng, 1, budget);
        sink.accept(BenchResult.rate("encode PNG imageio writer (1 thread)", images.size() + " decoded photos",
                "ImageIO", BenchDevice.host(), ioPng.imagesPerSecond, Double.NaN));
        JsonNode cv = openCv(folder, budget, log);
        if (cv == null) return;
        Rate cv1 = emitCv(sink, cv, "jpeg_decode_1_thread", "OpenCV imdecode (1 thread)", shape);
        Rate cv2 = emitCv(sink, cv, "jpeg_decode_2_workers", "OpenCV imdecode (2 workers)", shape);
        Rate cv4 = emitCv(sink, cv, "jpeg_decode_reduced_4", "OpenCV imdecode REDUCED_4 (1 thread)", shape);
        emitCv(sink, cv, "jpeg_decode_reduced_8", "OpenCV imdecode REDUCED_8 (1 thread)", shape);
        if (turbo) {
            ratio(sink, "ratio decode 1 thread: turbo/OpenCV", turbo1.mpPerSecond / cv1.mpPerSecond);
            ratio(sink, "ratio decode per CPU-s: turbo/OpenCV", turbo1.imagesPerCpuSecond / cv1.imagesPerCpuSecond);
            ratio(sink, "ratio decode 2 workers: turbo/OpenCV", turbo2.mpPerSecond / cv2.mpPerSecond);
            ratio(sink, "ratio decode: 2 workers/1 thread (turbo)", turbo2.imagesPerSecond / turbo1.imagesPerSecond);
            ratio(sink, "ratio decode per CPU-s: 2 workers/1 thread (turbo)", turbo2.imagesPerCpuSecond / turbo1.imagesPerCpuSecond);
            ratio(sink, "ratio reduce_to_side 416 / full (turbo)", reduced416.imagesPerSecond / turbo1.imagesPerSecond);
            ratio(sink, "ratio reduce_to_side 64 / full (turbo)", reduced64.imagesPerSecond / turbo1.imagesPerSecond);
            ratio(sink, "ratio reduce_to_side 64 / OpenCV REDUCED_4", reduced64.imagesPerSecond / cv4.imagesPerSecond);
        }
        ratio(sink, "ratio decode 1 thread: imageio/OpenCV", io1.mpPerSecond / cv1.mpPerSecond);
        if (png1 != null && cv.has("png_decode_1_thread")) {
            Rate cvPng = emitCv(sink, cv, "png_decode_1_thread", "OpenCV imdecode PNG UNCHANGED (1 thread)", pngs.size() + " PNG files");
            ratio(sink, "ratio decode PNG per CPU-s: imageio/OpenCV", png1.imagesPerCpuSecond / cvPng.imagesPerCpuSecond);
            if (cv.has("png_decode_libspng")) { // libspng through ctypes in the script: what a binding of it could reach
                Rate spng = emitCv(sink, cv, "png_decode_libspng", "libspng " + cv.path("libspng").asText() + " decode PNG (1 thread)",
                        pngs.size() + " PNG files");
                ratio(sink, "ratio decode PNG per CPU-s: imageio/libspng", png1.imagesPerCpuSecond / spng.imagesPerCpuSecond);
            }
        }
        for (int level : new int[] {1, 3, 6}) {
            JsonNode png = cv.path("png_encode_level_" + level);
            sink.accept(BenchResult.rate("OpenCV imencode PNG level " + level + " (1 thread)", images.size() + " decoded photos",
                    "OpenCV (python3 anchor)", BenchDevice.host(), png.path("images_per_s").asDouble(), Double.NaN)
                    .with("images_per_cpu_s", png.path("images_per_cpu_s").asDouble()).with("mb_per_image", png.path("mb_per_image").asDouble()));
            ratio(sink, "ratio encode PNG level " + level + " per CPU-s: clpipe/OpenCV", pngRates[level] / png.path("images_per_cpu_s").asDouble());
        }
    }

    /** Wall-clock rates, and images per CPU-second of the working threads (what a busy machine cannot skew). */
    private record Rate(double imagesPerSecond, double mpPerSecond, double imagesPerCpuSecond) {}

    private static Rate emit(java.util.function.Consumer<BenchResult> sink, String op, String shape, Rate r) {
        sink.accept(BenchResult.rate(op, shape, "decode", BenchDevice.host(), r.imagesPerSecond, Double.NaN)
                .with("mp_per_s", r.mpPerSecond).with("images_per_cpu_s", r.imagesPerCpuSecond));
        return r;
    }

    private static Rate emitCv(java.util.function.Consumer<BenchResult> sink, JsonNode cv, String key, String op, String shape) {
        JsonNode n = cv.path(key);
        return emit(sink, op, shape, new Rate(n.path("images_per_s").asDouble(), n.path("mp_per_s").asDouble(),
                n.path("images_per_cpu_s").asDouble()));
    }

    private static void ratio(java.util.function.Consumer<BenchResult> sink, String op, double x) {
        sink.accept(BenchResult.ratio(op, "same run", BenchDevice.host(), x));
    }

    /** Every input once per pass on each of {@code workers} threads, repeated for about {@code seconds}. */
    private static <T> Rate measure(List<T> inputs, ToLongFunction<T> work, int workers, double seconds) {
        for (T in : inputs) work.applyAsLong(in); // warm-up
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long start = System.nanoTime();
            List<Future<long[]>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    long cpu0 = THREADS.getCurrentThreadCpuTime();
                    long px = 0;
                    long n = 0;
                    do {
                        for (T in : inputs) px += work.applyAsLong(in);
                        n += inputs.size();
                    } while (System.nanoTime() - start < seconds * 1e9);
                    return new long[] {n, px, THREADS.getCurrentThreadCpuTime() - cpu0};
                }));
            }
            long n = 0;
            long px = 0;
            long cpu = 0;
            for (Future<long[]> f : futures) {
                long[] r = f.get();
                n += r[0];
                px += r[1];
                cpu += r[2];
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new Rate(n / elapsed, px / elapsed / 1e6, n / (cpu / 1e9));
        } catch (Exception e) {
            throw new IllegalStateException("io bench worker failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long pixels(ImageDecoder d, byte[] b) {
        try {
            return d.decode(b, "bench.jpg").image().pixelCount();
        } catch (ImageRejectedException e) {
            return 0;
        }
    }

    private static ImageData decode(ImageDecoder d, byte[] b) {
        try {
            return d.decode(b, "bench.jpg").image().withChannels(3);
        } catch (ImageRejectedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static double averagePngMb(PngEncoder enc, List<ImageData> images) {
        long total = 0;
        for (ImageData img : images) total += enc.encode(img).length;
        return total / 1e6 / images.size();
    }

    private static long imageIoPng(ImageData img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img.toBufferedImage(), "png", out);
            return img.pixelCount();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double jnaCallNanos() {
        int n = 200_000;
        long sink = 0;
        for (int i = 0; i < n; i++) sink += DecoderChoice.turboBufSize(64 + (i & 7), 64);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) sink += DecoderChoice.turboBufSize(64 + (i & 7), 64);
        double ns = (System.nanoTime() - t0) / (double) n;
        return sink == 42 ? ns + 1e-9 : ns;
    }

    /** OpenCV's figures from the dev-only script, or null (said on {@code log}) when it cannot run. */
    private static JsonNode openCv(Path folder, double budget, PrintStream log) {
        Path script = Path.of(System.getProperty("clpipe.bench.opencvScript", SCRIPT));
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isRegularFile(script) || !Files.isExecutable(python)) {
            if (log != null) log.println("# OpenCV anchor skipped: needs " + script + " (run from the source tree) and /usr/bin/python3 with python3-opencv (apt-get install python3-opencv)");
            return null;
        }
        try {
            Process p = new ProcessBuilder(python.toString(), script.toString(), folder.toString(), String.valueOf(budget),
                    String.valueOf(ENCODE_IMAGES))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                if (log != null) log.println("# OpenCV anchor failed (exit " + p.exitValue() + "): is python3-opencv installed? apt-get install python3-opencv");
                return null;
            }
            JsonNode json = new ObjectMapper().readTree(out);
            if (log != null) log.println("# OpenCV " + json.path("opencv").asText() + " anchor: " + json.path("jpegs").asInt() + " JPEGs");
            return json;
        } catch (IOException e) {
            if (log != null) log.println("# OpenCV anchor failed: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
