package dev.clpipe.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Makes image files in memory: valid ones of every kind, and crafted broken ones. */
final class TestImages {
    private TestImages() {
    }

    /** A deterministic RGB test pattern: r = 10x, g = 20y, b = x*y (mod 256). */
    static ImageData pattern(int w, int h, int channels) {
        ImageData d = ImageData.blank(w, h, channels);
        byte[] p = d.pixels();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * channels;
                int[] v = {10 * x + 3, 20 * y + 7, x * y + 11, 255 - 5 * x};
                for (int c = 0; c < channels; c++) {
                    p[o + c] = (byte) v[c];
                }
            }
        }
        return d;
    }

    /** Two halves: left half colour a, right half colour b (RGB), sized in whole 8x8 JPEG blocks. */
    static ImageData halves(int w, int h, int[] a, int[] b) {
        ImageData d = ImageData.blank(w, h, 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = x < w / 2 ? a : b;
                for (int k = 0; k < 3; k++) {
                    d.pixels()[(y * w + x) * 3 + k] = (byte) c[k];
                }
            }
        }
        return d;
    }

    static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format + " / type " + img.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] png(ImageData d) {
        return encode(d.toBufferedImage(), "png");
    }

    static byte[] bmp(ImageData d) {
        return encode(d.withChannels(3).toBufferedImage(), "bmp");
    }

    static byte[] gif(ImageData d) {
        return encode(d.withChannels(3).toBufferedImage(), "gif");
    }

    static byte[] jpeg(ImageData d, float quality) {
        return writeJpeg(new IIOImage(d.withChannels(d.channels() == 1 ? 1 : 3).toBufferedImage(), null, null),
                quality);
    }

    /**
     * A 4-channel JPEG without JFIF marker: decoders see it as CMYK. Samples are stored inverted,
     * as Adobe applications write CMYK JPEGs and as the JDK reader reads them: ink C = 4x,
     * M = 4y, Y = 0, K = 30.
     */
    static byte[] cmykJpeg(int w, int h) {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setPixel(x, y, new int[] {255 - x * 4, 255 - y * 4, 255, 255 - 30});
            }
        }
        return writeJpeg(new IIOImage(r, null, null), 0.9f);
    }

    private static byte[] writeJpeg(IIOImage image, float quality) {
        return writeJpeg(image, quality, false);
    }

    private static byte[] writeJpeg(IIOImage image, float quality, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            if (progressive) p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, image, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A progressive JPEG (several scans), the kind whose scan count TJFLAG_LIMITSCANS bounds. */
    static byte[] progressiveJpeg(ImageData d, float quality) {
        return writeJpeg(new IIOImage(d.toBufferedImage(), null, null), quality, true);
    }

    /** 16-bit grey PNG with the given 16-bit samples (row-major). */
    static byte[] grey16Png(int w, int h, int[] samples) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setPixels(0, 0, w, h, samples);
        return encode(img, "png");
    }

    /**
     * Inserts an EXIF APP1 segment holding only an orientation tag right after the JFIF APP0
     * segment (or after SOI), byte order big-endian ("MM") or little-endian ("II").
     */
    static byte[] withOrientation(byte[] jpeg, int orientation, boolean littleEndian) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(littleEndian
                ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        tiff.put((byte) (littleEndian ? 'I' : 'M')).put((byte) (littleEndian ? 'I' : 'M'));
        tiff.putShort((short) 42).putInt(8);          // TIFF header, IFD0 at offset 8
        tiff.putShort((short) 1);                    // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1); // orientation, SHORT, count 1
        tiff.putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);                              // no next IFD
        byte[] exif = new byte[6 + 26];
        System.arraycopy("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, exif, 0, 6);
        System.arraycopy(tiff.array(), 0, exif, 6, 26);
        int len = exif.length + 2;
        byte[] seg = new byte[4 + exif.length];
        seg[0] = (byte) 0xFF;
        seg[1] = (byte) 0xE1;
        seg[2] = (byte) (len >> 8);
        seg[3] = (byte) len;
        System.arraycopy(exif, 0, seg, 4, exif.length);
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
        }
        return concat(Arrays.copyOfRange(jpeg, 0, at), seg, Arrays.copyOfRange(jpeg, at, jpeg.length));
    }

    /**
     * A small valid-looking PNG whose IHDR declares w x h RGB pixels (a decompression bomb when
     * large): correct CRCs, a tiny IDAT, IEND.
     */
    static byte[] pngDeclaring(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        Deflater def = new Deflater();
        def.setInput(new byte[1024]);
        def.finish();
        byte[] z = new byte[2048];
        int zn = def.deflate(z);
        def.end();
        return concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
                chunk("IHDR", ihdr.array()), chunk("IDAT", Arrays.copyOf(z, zn)), chunk("IEND", new byte[0]));
    }

    static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        b.putInt(data.length).put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static byte[] truncate(byte[] b, int keep) {
        return Arrays.copyOf(b, keep);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
