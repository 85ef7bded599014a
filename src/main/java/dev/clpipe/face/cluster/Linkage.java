package dev.clpipe.face.cluster;

/** How the distance between two clusters is derived from the distances between their members. */
public enum Linkage {
    /** Smallest member distance (chains; equals connected components of the threshold graph). */
    SINGLE,
    /** Largest member distance (compact, conservative clusters). */
    COMPLETE,
    /** Mean of all |A| * |B| member distances (UPGMA; scikit-learn's "average"). */
    AVERAGE
}
