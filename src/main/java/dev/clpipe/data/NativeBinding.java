package dev.clpipe.data;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Binds a class's {@code native} methods to a shared library with JNA direct mapping, or says why it
 * could not: the one way the codec bindings ({@link TurboJpegLibrary}, {@link LibDeflate}) load.
 *
 * @param file  the library as loaded (for the doctor), or null
 * @param error why it is not usable, with how to install it, or null when it is
 */
record NativeBinding(String file, String error) {

    boolean available() {
        return error == null;
    }

    /**
     * Registers {@code binding}'s natives from {@code versioned} (Debian ships only the versioned
     * name without the -dev package) or else {@code plain} (other systems).
     *
     * @param what the library's name in the message ("libdeflate")
     * @param hint how to install it
     */
    static NativeBinding register(Class<?> binding, String versioned, String plain, String what, String hint) {
        try {
            NativeLibrary lib;
            try {
                lib = NativeLibrary.getInstance(versioned);
            } catch (UnsatisfiedLinkError notVersioned) {
                lib = NativeLibrary.getInstance(plain);
            }
            Native.register(binding, lib);
            // a bare soname is found by the dynamic linker: JNA's File is then relative and meaningless
            String file = lib.getFile() != null && lib.getFile().isFile() ? lib.getFile().getAbsolutePath()
                    : lib.getName() + " via the dynamic linker";
            return new NativeBinding(file, null);
        } catch (Throwable t) { // UnsatisfiedLinkError, or JNA's own dispatch library missing
            String m = String.valueOf(t.getMessage());
            int nl = m.indexOf('\n');
            return new NativeBinding(null, what + " not found: " + (nl < 0 ? m : m.substring(0, nl)) + "; " + hint);
        }
    }
}
