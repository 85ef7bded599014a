package dev.clpipe.data;

import java.util.List;

/**
 * Result of {@link ImageDecoder#decode}: the pixels (already turned upright by the EXIF
 * orientation), the format found by content, the EXIF orientation that was applied (1 if none) and
 * non-fatal notes, e.g. an extension that does not match the content, and which decoder ran
 * ({@code libjpeg-turbo} or {@code imageio}).
 */
public record DecodedImage(ImageData image, ImageFormat format, int orientation, List<String> notes, String decoder) {
    public DecodedImage {
        notes = List.copyOf(notes);
    }

    public DecodedImage(ImageData image, ImageFormat format, int orientation, List<String> notes) {
        this(image, format, orientation, notes, DecoderChoice.IMAGEIO_NAME);
    }
}
