package dev.clpipe.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * clpipe's colour-management choice: a JPEG's embedded ICC profile (APP2 "ICC_PROFILE" segments)
 * is ignored and the decoded samples are taken as sRGB, as OpenCV and libjpeg-turbo do. Java's
 * ImageIO would otherwise convert non-sRGB profiles (e.g. Adobe RGB) with the JDK's colour engine,
 * whose results change between JDK releases, so one file could give other pixels under Spark
 * (Java 17) than under {@code clpipe run} (newest JDK). (The JDK 17 vs 25 differences seen on the
 * darknet photos come from 4:4:0 upsampling in ImageIO, not from their sRGB profiles:
 * libjpeg-turbo, the default decoder, avoids those; see docs/data.md.)
 */
final class JpegIccProfile {
    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

    private JpegIccProfile() {}

    /**
     * The JPEG without its ICC profile segments; the same array when it has none (or when its
     * header is malformed: the decoder then reports that).
     */
    static byte[] strip(byte[] jpeg) {
        int pos = 2; // after SOI
        ByteArrayOutputStream out = null;
        int copied = 0;
        while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) break; // start of scan / end: no more headers
            int len = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
            if (len < 2 || pos + 2 + len > jpeg.length) break;
            if (marker == 0xE2 && isIcc(jpeg, pos + 4, len - 2)) {
                if (out == null) out = new ByteArrayOutputStream(jpeg.length);
                out.write(jpeg, copied, pos - copied);
                copied = pos + 2 + len;
            }
            pos += 2 + len;
        }
        if (out == null) return jpeg;
        out.write(jpeg, copied, jpeg.length - copied);
        return out.toByteArray();
    }

    /** True if the JPEG embeds an ICC profile. */
    static boolean present(byte[] jpeg) {
        return strip(jpeg) != jpeg;
    }

    private static boolean isIcc(byte[] b, int off, int len) {
        if (len < ICC_ID.length) return false;
        for (int i = 0; i < ICC_ID.length; i++) {
            if (b[off + i] != ICC_ID[i]) return false;
        }
        return true;
    }
}
