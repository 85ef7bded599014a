package dev.clpipe.data;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * libjpeg-turbo's TurboJPEG C API (libturbojpeg.so.0, Debian package {@code libturbojpeg0}), bound
 * with JNA direct mapping so it works on JDK 17 and later without JNI glue. Loaded once; when the
 * library is missing {@link #available()} is false and {@link #unavailableReason()} says why and
 * how to install it. Handles are not thread-safe: {@link TurboJpegSession} gives each call its own.
 */
final class TurboJpegLibrary {
    static final String INSTALL_HINT = "install libjpeg-turbo's TurboJPEG library: apt-get install libturbojpeg0 (or run make setup)";

    static final int TJPF_RGB = 0;
    static final int TJPF_GRAY = 6;
    static final int TJPF_CMYK = 11;
    static final int TJCS_GRAY = 2;
    static final int TJCS_CMYK = 3;
    static final int TJCS_YCCK = 4;
    static final int TJSAMP_444 = 0;
    static final int TJSAMP_420 = 2;
    static final int TJSAMP_GRAY = 3;
    static final int TJERR_WARNING = 0;
    static final int TJFLAG_NOREALLOC = 1024;
    /** Refuses progressive files with an absurd number of scans (a known CPU exhaustion attack). */
    static final int TJFLAG_LIMITSCANS = 32768;

    private static final NativeBinding BINDING = NativeBinding.register(TurboJpegLibrary.class, "libturbojpeg.so.0", "turbojpeg",
            "libjpeg-turbo (TurboJPEG)", INSTALL_HINT);
    private static final String LOAD_ERROR = BINDING.error();
    private static final String FILE = BINDING.file();

    private TurboJpegLibrary() {}

    static boolean available() {
        return LOAD_ERROR == null;
    }

    /** Why the library is not usable (with how to install it), or null when it is. */
    static String unavailableReason() {
        return LOAD_ERROR;
    }

    /** The loaded library file, or null when not available. */
    static String file() {
        return FILE;
    }

    static native Pointer tjInitDecompress();

    static native Pointer tjInitCompress();

    static native int tjDestroy(Pointer handle);

    static native int tjDecompressHeader3(Pointer handle, Pointer jpegBuf, NativeLong jpegSize, int[] width,
            int[] height, int[] jpegSubsamp, int[] jpegColorspace);

    static native int tjDecompress2(Pointer handle, Pointer jpegBuf, NativeLong jpegSize, Pointer dstBuf,
            int width, int pitch, int height, int pixelFormat, int flags);

    static native int tjCompress2(Pointer handle, Pointer srcBuf, int width, int pitch, int height,
            int pixelFormat, Pointer jpegBufRef, Pointer jpegSizeRef, int jpegSubsamp, int jpegQual, int flags);

    static native NativeLong tjBufSize(int width, int height, int jpegSubsamp);

    static native String tjGetErrorStr2(Pointer handle);

    static native int tjGetErrorCode(Pointer handle);
}
