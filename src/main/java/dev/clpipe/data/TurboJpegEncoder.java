package dev.clpipe.data;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * JPEG writing through libjpeg-turbo: 4:2:0 chroma subsampling for colour (as libjpeg and
 * ImageIO write by default), grey stays grey, alpha is dropped by the caller.
 */
final class TurboJpegEncoder {
    private TurboJpegEncoder() {}

    /** @param quality 1..100 */
    static byte[] encode(ImageData image, int quality) {
        if (image.channels() == 4) throw new IllegalArgumentException("JPEG has no alpha: convert to RGB first");
        boolean grey = image.channels() == 1;
        int w = image.width();
        int h = image.height();
        int subsamp = grey ? TurboJpegLibrary.TJSAMP_GRAY : TurboJpegLibrary.TJSAMP_420;
        TurboJpegSession s = TurboJpegSession.borrowCompressor();
        boolean clean = false;
        try {
            byte[] px = image.pixels();
            Memory src = s.in(px.length);
            src.write(0, px, 0, px.length);
            long max = TurboJpegLibrary.tjBufSize(w, h, subsamp).longValue();
            Memory dst = s.out(max);
            Memory dstRef = new Memory(Native.POINTER_SIZE);
            dstRef.setPointer(0, dst);
            Memory sizeRef = new Memory(Native.LONG_SIZE); // unsigned long
            sizeRef.setNativeLong(0, new NativeLong(max));
            int rc = TurboJpegLibrary.tjCompress2(s.handle, src, w, w * image.channels(), h,
                    grey ? TurboJpegLibrary.TJPF_GRAY : TurboJpegLibrary.TJPF_RGB, dstRef, sizeRef, subsamp, quality,
                    TurboJpegLibrary.TJFLAG_NOREALLOC);
            if (rc != 0) throw new IllegalStateException("libjpeg-turbo could not encode " + image + ": " + s.error());
            Pointer written = dstRef.getPointer(0);
            byte[] out = written.getByteArray(0, (int) sizeRef.getNativeLong(0).longValue());
            clean = true;
            return out;
        } finally {
            if (clean) s.release();
            else s.discard();
        }
    }
}
