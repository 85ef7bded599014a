package dev.clpipe.data;

import java.util.ArrayList;
import java.util.List;

/** The image codecs this machine offers, for {@code clpipe devices}: what exists and how to install the rest. */
public final class Codecs {
    private Codecs() {}

    /** One line per codec: "JPEG decode/encode: libjpeg-turbo (FILE)", or what is used instead and why. */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (DecoderChoice.turboAvailable()) {
            lines.add("JPEG decode/encode: " + DecoderChoice.TURBO_NAME + " (" + DecoderChoice.turboLibraryFile()
                    + "; DCT-scaled decoding for reduce_to_side); ImageIO with decoder: imageio");
        } else {
            lines.add("JPEG decode/encode: ImageIO only, about 3x slower; " + DecoderChoice.turboUnavailableReason());
        }
        lines.add("PNG decode: ImageIO, chunk CRCs verified; PNG encode: zlib (JDK Deflater), write-images compression 0..9");
        lines.add("BMP, GIF decode: ImageIO");
        return lines;
    }
}
