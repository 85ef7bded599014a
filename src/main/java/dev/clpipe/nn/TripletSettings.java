package dev.clpipe.nn;

/**
 * How to train an embedding with triplet loss: batches of {@code classesPerBatch} (P) classes x
 * {@code samplesPerClass} (K) images, the margin alpha of max(d_ap - d_an + alpha, 0) on
 * L2-normalised embeddings (squared distances lie in [0, 4]), epochs, optimiser, schedule, the
 * seed of every random choice and how often the host reads the running loss.
 */
public record TripletSettings(int classesPerBatch, int samplesPerClass, double margin, int epochs, OptimizerSpec optimizer,
                              LrSchedule schedule, long seed, int checkEvery) {
    public TripletSettings {
        if (classesPerBatch < 2) throw new IllegalArgumentException("classes_per_batch must be >= 2, got " + classesPerBatch);
        if (samplesPerClass < 2) throw new IllegalArgumentException("samples_per_class must be >= 2, got " + samplesPerClass);
        if (!(margin > 0 && margin <= 4)) throw new IllegalArgumentException("margin must be within (0, 4] (squared distances of unit vectors), got " + margin);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (checkEvery < 1) throw new IllegalArgumentException("check_every must be >= 1, got " + checkEvery);
    }

    /** Images per step, P x K. */
    public int batch() {
        return classesPerBatch * samplesPerClass;
    }
}
