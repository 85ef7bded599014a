/**
 * The one training loop. {@link dev.clpipe.nn.train.TrainLoop} runs every step the same way
 * (stop check, learning rate, gather, forward, loss, backward, optimiser step, a host read of the
 * running loss every {@code checkEvery} steps) and is driven by an
 * {@link dev.clpipe.nn.train.Objective} (softmax cross-entropy, triplet with semi-hard mining,
 * YOLO in {@code detect.train}) over a {@link dev.clpipe.nn.BatchSource} (IDX on the device,
 * cached folder samples, frozen-layer features, generated scenes) visited in the order of a
 * {@link dev.clpipe.nn.train.Sampling} (a shuffle per (seed, epoch), or P x K class batches).
 *
 * <p>{@link dev.clpipe.nn.train.Trainer} (classifier) and
 * {@link dev.clpipe.nn.train.EmbeddingTrainer} bind an objective to the loop and add their
 * evaluation; {@link dev.clpipe.nn.train.SingleDeviceSession} runs one trainer,
 * {@link dev.clpipe.nn.train.ReplicatedTrainer} one per device in data parallel, each replica
 * computing its slice's gradient with the loop's step ({@link dev.clpipe.nn.train.TrainLoop#computeGradient})
 * before the all-reduce. A job's epoch skeleton drives any of them as an
 * {@link dev.clpipe.nn.train.EpochSession}.
 */
package dev.clpipe.nn.train;
