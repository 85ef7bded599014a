package dev.clpipe.nn;

/** Finds where non-finite values first appear in a network (slow, reads buffers; for error messages). */
public final class Diagnostics {
    private Diagnostics() {}

    /** ": first non-finite output at layer i 'name'" or "" when every output and parameter is finite. */
    public static String firstNonFinite(Network network) {
        for (Param p : network.params()) {
            if (!finite(p.value().readFloats(network.context().queue()))) return "; parameter " + p.name() + " holds NaN/inf";
        }
        for (int i = 0; i < network.layers(); i++) {
            if (!finite(network.activation(i).readFloats(network.context().queue()))) {
                return "; first non-finite output at layer " + i + " '" + network.describeLayer(i);
            }
        }
        return "";
    }

    private static boolean finite(float[] values) {
        for (float v : values) if (!Float.isFinite(v)) return false;
        return true;
    }
}
