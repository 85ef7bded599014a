package dev.clpipe.nn;

import dev.clpipe.cl.ClContext;
import java.util.function.Function;

/**
 * How any device of a training session gets its training and test batches: a session on one
 * device builds each once, a data-parallel one builds the training source on every device (each
 * replica gathers its slice of every batch from its own) and the test source on the device that
 * evaluates. So a form of data (IDX uploaded to the device, a labelled folder's decoded-sample
 * cache, IDX streamed through augmentation) is decided in one place, whatever the device count.
 */
public record DeviceSources(Function<ClContext, BatchSource> train, Function<ClContext, BatchSource> test) {
    /** Both sets uploaded to each device that needs them ({@link DeviceDataset}). */
    public static DeviceSources uploaded(Dataset train, Dataset test, float mean, float std) {
        return new DeviceSources(d -> new DeviceDataset(d, train, mean, std), d -> new DeviceDataset(d, test, mean, std));
    }
}
