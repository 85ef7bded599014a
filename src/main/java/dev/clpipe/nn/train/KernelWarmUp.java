package dev.clpipe.nn.train;

import dev.clpipe.cl.ClContext;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceDataset;
import dev.clpipe.nn.LrSchedule;
import dev.clpipe.nn.ModelSpec;
import dev.clpipe.nn.OptimizerSpec;
import dev.clpipe.nn.TrainSettings;

/**
 * Runs one training step and one evaluation batch of a model on blank images, so every program
 * training and inference use (shape-specialised variants included) is built and registered in
 * {@link dev.clpipe.cl.KernelCatalog}: {@code clpipe kernels build --model} then writes them all.
 */
public final class KernelWarmUp {
    private KernelWarmUp() {}

    public static void run(ClContext context, ModelSpec model, int batch) {
        int classes = model.output().size();
        Dataset blank = new Dataset("warm-up", new byte[batch * model.input().size()], new int[batch], model.input(), classes);
        TrainSettings settings = new TrainSettings(batch, 1, OptimizerSpec.adam(1e-3, 0), LrSchedule.constant(), 0, 1);
        try (Trainer trainer = new Trainer(context, model, settings); DeviceDataset data = new DeviceDataset(context, blank, 0f, 1f)) {
            trainer.trainEpoch(data, n -> { }, () -> false);
            trainer.evaluate(data);
        }
        try (Trainer sgd = new Trainer(context, model, new TrainSettings(batch, 1, OptimizerSpec.sgd(0.01, 0.9, 0), LrSchedule.constant(), 0, 1))) {
            sgd.optimizer().step(0.01); // the SGD kernel too (same file, another entry point)
            context.queue().finish();
        }
    }
}
