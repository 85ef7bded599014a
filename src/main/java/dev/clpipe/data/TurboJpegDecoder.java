package dev.clpipe.data;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.util.List;
import java.util.Locale;

/**
 * JPEG decoding through libjpeg-turbo, with the same checks as the ImageIO path: the header's size
 * is checked against the limits before any pixel buffer is allocated, warnings about a premature
 * end are truncation, other warnings are notes, fatal errors are {@code corrupt}. Grey stays grey;
 * CMYK/YCCK become RGB (Adobe-inverted samples, as OpenCV converts them). The embedded ICC profile
 * is ignored, as by OpenCV and by {@link ImageDecoder}'s ImageIO path (see {@link JpegIccProfile}).
 * Optionally decodes at 1/2, 1/4 or 1/8 scale in the DCT domain (see {@link #scaleDenominator}).
 */
final class TurboJpegDecoder {
    private TurboJpegDecoder() {}

    static ImageData decode(byte[] bytes, String name, ImageDecoder.Options options, List<String> notes)
            throws ImageRejectedException {
        TurboJpegSession s = TurboJpegSession.borrowDecompressor();
        boolean clean = false;
        try {
            Memory in = s.in(bytes.length);
            in.write(0, bytes, 0, bytes.length);
            NativeLong size = new NativeLong(bytes.length);
            int[] w = new int[1];
            int[] h = new int[1];
            int[] subsamp = new int[1];
            int[] colorspace = new int[1];
            if (TurboJpegLibrary.tjDecompressHeader3(s.handle, in, size, w, h, subsamp, colorspace) != 0) {
                throw new ImageRejectedException(name, RejectReason.CORRUPT, "cannot read JPEG header: " + s.error());
            }
            ImageDecoder.checkSize(options, name, w[0], h[0]);
            int cs = colorspace[0];
            boolean cmyk = cs == TurboJpegLibrary.TJCS_CMYK || cs == TurboJpegLibrary.TJCS_YCCK;
            int format = cmyk ? TurboJpegLibrary.TJPF_CMYK
                    : cs == TurboJpegLibrary.TJCS_GRAY ? TurboJpegLibrary.TJPF_GRAY : TurboJpegLibrary.TJPF_RGB;
            int ch = cmyk ? 4 : format == TurboJpegLibrary.TJPF_GRAY ? 1 : 3;
            int denom = scaleDenominator(w[0], h[0], options.reduceToSide());
            int sw = (w[0] + denom - 1) / denom;
            int sh = (h[0] + denom - 1) / denom;
            long outBytes = (long) sw * sh * ch;
            Memory out = s.out(outBytes);
            int rc = TurboJpegLibrary.tjDecompress2(s.handle, in, size, out, sw, sw * ch, sh, format,
                    TurboJpegLibrary.TJFLAG_LIMITSCANS);
            if (rc != 0) {
                String msg = s.error();
                if (!s.lastWasWarning()) {
                    throw new ImageRejectedException(name, RejectReason.CORRUPT, "cannot decode JPEG: " + msg);
                }
                String lower = msg.toLowerCase(Locale.ROOT);
                if (lower.contains("truncated") || lower.contains("premature") || lower.contains("eoi")) {
                    throw new ImageRejectedException(name, RejectReason.TRUNCATED, "JPEG decoder: " + msg);
                }
                notes.add("JPEG decoder warning: " + msg);
            }
            clean = rc == 0;
            byte[] pixels = new byte[(int) outBytes];
            out.read(0, pixels, 0, pixels.length);
            return cmyk ? new ImageData(sw, sh, 3, invertedCmykToRgb(pixels))
                    : new ImageData(sw, sh, ch, pixels);
        } finally {
            if (clean) s.release();
            else s.discard();
        }
    }

    /**
     * The largest of 1, 2, 4, 8 such that both sides divided by it (rounded up, as libjpeg-turbo
     * does) stay at least {@code minSide}; 1 when {@code minSide} is 0 (full size).
     */
    static int scaleDenominator(int width, int height, int minSide) {
        if (minSide <= 0) return 1;
        int denom = 1;
        while (denom < 8) {
            int next = denom * 2;
            if ((width + next - 1) / next < minSide || (height + next - 1) / next < minSide) break;
            denom = next;
        }
        return denom;
    }

    /** Adobe CMYK JPEGs store inverted samples: R = K*C/255 with the stored C, as OpenCV computes it. */
    private static byte[] invertedCmykToRgb(byte[] cmyk) {
        int n = cmyk.length / 4;
        byte[] rgb = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            int k = cmyk[4 * i + 3] & 0xFF;
            for (int c = 0; c < 3; c++) {
                int v = cmyk[4 * i + c] & 0xFF;
                rgb[3 * i + c] = (byte) (k - ((255 - v) * k >> 8));
            }
        }
        return rgb;
    }
}
