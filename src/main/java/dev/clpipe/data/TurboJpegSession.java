package dev.clpipe.data;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One TurboJPEG handle with native input and output buffers that grow to the largest image seen,
 * borrowed by one call at a time from a pool (one per concurrent caller, so worker threads never
 * share a handle and never pay for a new one per image). Buffers over {@link #KEEP_BYTES} are
 * freed after the call, so a rare huge image does not pin its memory for the process's life.
 */
final class TurboJpegSession {
    private static final long KEEP_BYTES = 64L << 20;
    private static final ConcurrentLinkedQueue<TurboJpegSession> DECOMPRESSORS = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<TurboJpegSession> COMPRESSORS = new ConcurrentLinkedQueue<>();

    final Pointer handle;
    private final boolean compressor;
    private Memory in;
    private Memory out;

    private TurboJpegSession(Pointer handle, boolean compressor) {
        this.handle = handle;
        this.compressor = compressor;
    }

    static TurboJpegSession borrowDecompressor() {
        return borrow(DECOMPRESSORS, false);
    }

    static TurboJpegSession borrowCompressor() {
        return borrow(COMPRESSORS, true);
    }

    private static TurboJpegSession borrow(ConcurrentLinkedQueue<TurboJpegSession> pool, boolean compressor) {
        TurboJpegSession s = pool.poll();
        if (s != null) return s;
        Pointer h = compressor ? TurboJpegLibrary.tjInitCompress() : TurboJpegLibrary.tjInitDecompress();
        if (h == null) throw new IllegalStateException("TurboJPEG could not create a handle: "
                + TurboJpegLibrary.tjGetErrorStr2(null));
        return new TurboJpegSession(h, compressor);
    }

    /**
     * Closes the handle and its buffers instead of pooling them: after a failed call libjpeg-turbo
     * 2.1 may leave the handle mid-stream, and the next file then fails with "Bogus marker length".
     */
    void discard() {
        TurboJpegLibrary.tjDestroy(handle);
        if (in != null) in.close();
        if (out != null) out.close();
        in = null;
        out = null;
    }

    /** Back to the pool, big buffers freed. */
    void release() {
        in = trim(in);
        out = trim(out);
        (compressor ? COMPRESSORS : DECOMPRESSORS).offer(this);
    }

    private static Memory trim(Memory m) {
        if (m != null && m.size() > KEEP_BYTES) {
            m.close();
            return null;
        }
        return m;
    }

    /** The input buffer holding at least {@code bytes} bytes (contents undefined). */
    Memory in(long bytes) {
        in = ensure(in, bytes);
        return in;
    }

    /** The output buffer holding at least {@code bytes} bytes (contents undefined). */
    Memory out(long bytes) {
        out = ensure(out, bytes);
        return out;
    }

    private static Memory ensure(Memory m, long bytes) {
        if (m != null && m.size() >= bytes) return m;
        if (m != null) m.close();
        long grown = m == null ? bytes : Math.max(bytes, m.size() + m.size() / 2);
        return new Memory(Math.max(1, grown));
    }

    /** The handle's last error message. */
    String error() {
        return TurboJpegLibrary.tjGetErrorStr2(handle);
    }

    boolean lastWasWarning() {
        return TurboJpegLibrary.tjGetErrorCode(handle) == TurboJpegLibrary.TJERR_WARNING;
    }
}
