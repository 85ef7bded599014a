package dev.clpipe.data;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * libdeflate (libdeflate.so.0, Debian package {@code libdeflate0}), a whole-buffer DEFLATE
 * compressor about twice as fast as zlib at level 1 and three times at level 6 for the same size
 * (measured on the photos, see docs/image-io.md), bound with JNA direct mapping. Loaded once; when
 * it is missing {@link #BINDING} says why and how to install it. A compressor is made per call (about 25 µs), so nothing is shared between threads.
 */
final class LibDeflate {
    static final String NAME = "libdeflate";
    static final String INSTALL_HINT = "install it: apt-get install libdeflate0 (or run make setup)";

    /** The binding: {@code available()}, {@code error()} (why not, with how to install it), {@code file()}. */
    static final NativeBinding BINDING = NativeBinding.register(LibDeflate.class, "libdeflate.so.0", "deflate", NAME, INSTALL_HINT);

    private LibDeflate() {}

    /**
     * The zlib stream (RFC 1950, as PNG's IDAT holds) of {@code data} at {@code level} 0..12
     * (libdeflate's scale; 1..9 match zlib's speed/size order): the first {@code length} bytes of
     * {@code bytes} (not trimmed, to spare a copy of a megabyte per image).
     */
    static Compressed zlibCompress(byte[] data, int level) {
        Pointer compressor = libdeflate_alloc_compressor(level);
        if (compressor == null) throw new OutOfMemoryError("libdeflate_alloc_compressor(" + level + ") failed");
        try {
            int bound = (int) Math.min(Integer.MAX_VALUE - 16,
                    libdeflate_zlib_compress_bound(compressor, new NativeLong(data.length)).longValue());
            byte[] out = new byte[bound];
            long n = libdeflate_zlib_compress(compressor, data, new NativeLong(data.length), out, new NativeLong(bound)).longValue();
            if (n == 0) throw new IllegalStateException("libdeflate: output larger than its own bound for " + data.length + " bytes");
            return new Compressed(out, (int) n);
        } finally {
            libdeflate_free_compressor(compressor);
        }
    }

    /** A compressed stream: {@code bytes[0..length)}. */
    record Compressed(byte[] bytes, int length) {}

    private static native Pointer libdeflate_alloc_compressor(int level);

    private static native NativeLong libdeflate_zlib_compress(Pointer compressor, byte[] in, NativeLong inBytes, byte[] out,
            NativeLong outBytesAvail);

    private static native NativeLong libdeflate_zlib_compress_bound(Pointer compressor, NativeLong inBytes);

    private static native void libdeflate_free_compressor(Pointer compressor);
}
