package dev.clpipe.data;

/**
 * Reads the EXIF orientation tag (0x0112) from a JPEG's APP1 segment and applies it to pixels.
 * Values follow the TIFF/EXIF specification: 1 = as stored, 2 = mirrored horizontally,
 * 3 = rotated 180°, 4 = mirrored vertically, 5 = transposed, 6 = needs 90° clockwise rotation,
 * 7 = transversed, 8 = needs 90° counter-clockwise rotation.
 */
public final class ExifOrientation {
    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation of a JPEG file's bytes, 1 if absent or unreadable. Never throws. */
    public static int read(byte[] jpeg) {
        try {
            return readUnchecked(jpeg);
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private static int readUnchecked(byte[] b) {
        int p = 2; // after SOI
        while (p + 4 <= b.length) {
            if ((b[p] & 0xFF) != 0xFF) {
                return 1;
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return 1; // start of scan: no more metadata segments
            }
            if (marker == 0xFF || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                p += marker == 0xFF ? 1 : 2; // fill byte or standalone marker
                continue;
            }
            int len = u16be(b, p + 2);
            if (marker == 0xE1 && len >= 8 && p + 2 + len <= b.length
                    && b[p + 4] == 'E' && b[p + 5] == 'x' && b[p + 6] == 'i' && b[p + 7] == 'f'
                    && b[p + 8] == 0 && b[p + 9] == 0) {
                int o = fromTiff(b, p + 10, p + 2 + len);
                if (o != 0) {
                    return o;
                }
            }
            p += 2 + len;
        }
        return 1;
    }

    /** Looks up tag 0x0112 in IFD0 of the TIFF structure at [tiff, end). 0 if absent. */
    private static int fromTiff(byte[] b, int tiff, int end) {
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 0;
        }
        int ifd = tiff + u32(b, tiff + 4, little);
        if (ifd < tiff || ifd + 2 > end) {
            return 0;
        }
        int count = u16(b, ifd, little);
        for (int i = 0; i < count; i++) {
            int e = ifd + 2 + 12 * i;
            if (e + 12 > end) {
                return 0;
            }
            if (u16(b, e, little) == TAG_ORIENTATION) {
                int v = u16(b, e + 8, little); // SHORT value, left-justified in the value field
                return v >= 1 && v <= 8 ? v : 0;
            }
        }
        return 0;
    }

    /** Returns the image as it should be displayed given an EXIF orientation 1..8. */
    public static ImageData apply(ImageData src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int w = src.width();
        int h = src.height();
        int ch = src.channels();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] in = src.pixels();
        byte[] out = new byte[in.length];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - ox; sy = oy; }
                    case 3 -> { sx = w - 1 - ox; sy = h - 1 - oy; }
                    case 4 -> { sx = ox; sy = h - 1 - oy; }
                    case 5 -> { sx = oy; sy = ox; }
                    case 6 -> { sx = oy; sy = h - 1 - ox; }
                    case 7 -> { sx = w - 1 - oy; sy = h - 1 - ox; }
                    default -> { sx = w - 1 - oy; sy = ox; } // 8
                }
                System.arraycopy(in, (sy * w + sx) * ch, out, (oy * ow + ox) * ch, ch);
            }
        }
        return new ImageData(ow, oh, ch, out);
    }

    private static int u16be(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static int u16(byte[] b, int p, boolean little) {
        return little ? ((b[p + 1] & 0xFF) << 8) | (b[p] & 0xFF) : u16be(b, p);
    }

    private static int u32(byte[] b, int p, boolean little) {
        return little
                ? (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24
                : (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }
}
