package dev.clpipe.data;

import java.util.Locale;

/**
 * Which JPEG decoder to use ({@code decode} stage key {@code decoder}): {@code auto} takes
 * libjpeg-turbo when it is installed and ImageIO otherwise (the caller says so once), {@code turbo}
 * insists on libjpeg-turbo ({@link CodecUnavailableException} without it), {@code imageio} is the
 * JDK's own. PNG, BMP and GIF always go through ImageIO.
 */
public enum DecoderChoice {
    AUTO, TURBO, IMAGEIO;

    /** Decoder names as run.json and notes print them. */
    public static final String TURBO_NAME = "libjpeg-turbo";
    public static final String IMAGEIO_NAME = "imageio";

    /** Parses auto, turbo or imageio (any case). */
    public static DecoderChoice parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "turbo", "libjpeg-turbo" -> TURBO;
            case "imageio" -> IMAGEIO;
            default -> throw new IllegalArgumentException("decoder must be auto, turbo or imageio, got '" + s + "'");
        };
    }

    /** True when JPEGs go through libjpeg-turbo; throws for {@code turbo} when it is missing. */
    public boolean usesTurbo() {
        return switch (this) {
            case IMAGEIO -> false;
            case AUTO -> turboAvailable();
            case TURBO -> {
                if (!turboAvailable()) throw new CodecUnavailableException("decoder: turbo: " + turboUnavailableReason());
                yield true;
            }
        };
    }

    /** The decoder used for {@code format} under this choice. */
    public String decoderFor(ImageFormat format) {
        return format == ImageFormat.JPEG && usesTurbo() ? TURBO_NAME : IMAGEIO_NAME;
    }

    public static boolean turboAvailable() {
        return TurboJpegLibrary.available();
    }

    /** Why libjpeg-turbo is missing and how to install it; null when it is there. */
    public static String turboUnavailableReason() {
        return TurboJpegLibrary.unavailableReason();
    }

    /** A trivial libjpeg-turbo call (tjBufSize), to measure the binding's per-call cost. */
    public static long turboBufSize(int width, int height) {
        return TurboJpegLibrary.tjBufSize(width, height, TurboJpegLibrary.TJSAMP_420).longValue();
    }

    /** The loaded libturbojpeg file, or null. */
    public static String turboLibraryFile() {
        return TurboJpegLibrary.file();
    }
}
