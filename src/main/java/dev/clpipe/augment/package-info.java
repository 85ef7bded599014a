/**
 * Training-data augmentation on OpenCL devices, batch at a time.
 *
 * <p>{@link dev.clpipe.augment.Augmenter} maps an {@link dev.clpipe.augment.ImageBatch} (N x H x W x C
 * uint8, HWC) or a {@link dev.clpipe.augment.DeviceBatch} with its sample indices and epoch to a batch
 * of the configured output size. Per-image parameters are a pure function of (seed, epoch, sample
 * index, op) ({@link dev.clpipe.augment.CounterRng}), computed on the host by
 * {@link dev.clpipe.augment.ParamPlanner}; the device runs one fused pass (crop, mirror, affine
 * geometry, colour) reading each source pixel once, plus an elastic pass when drawn.
 * {@link dev.clpipe.augment.ReferenceAugmenter} is the plain-Java twin every kernel is tested against.
 *
 * <p>YAML for an augment stage, read by {@link dev.clpipe.augment.AugmentConfigReader} (keys map one
 * to one to the spec records; defaults in brackets; an op that is absent does not run; an op key
 * with no fields, e.g. {@code elastic:}, runs with its defaults):
 * <pre>
 * - stage: augment
 *   seed: 1234                 # [run seed] every draw is f(seed, epoch, sample index, op)
 *   output_size: [224, 224]    # required: [height, width] or one number, 1..32768
 *   fill: 0                    # [0] 0..255, value for pixels sampled outside the source
 *   kernels: rows              # [rows] rows | simple (see KernelVariant)
 *   ops:                       # each op at most once; the fused pass has a fixed order: crop, mirror,
 *                              # rotate/shear/scale/translate (in list order), colour ops (in list order), elastic last
 *     mirror:              {horizontal: 0.5, vertical: 0}            # [0.5, 0] probabilities in [0, 1]
 *     crop:                {probability: 1, size: 224, padding: 4}   # size px [0 = use scale/ratio], padding px [0]
 *     # crop:              {scale: [0.08, 1], ratio: [0.75, 1.333]}  # RandomResizedCrop (these are the defaults)
 *     # centre_crop:                                                 # the output-sized box at the centre, no draw (evaluation views)
 *     rotate:              {probability: 1, degrees: 10}             # angle ~ U[-degrees, degrees]; degrees [10] in [0, 180]
 *     shear:               {probability: 1, degrees: 10}             # [10] in [0, 60]
 *     scale:               {probability: 1, factor: [0.9, 1.1]}      # [0.9, 1.1], each in [0.05, 20]
 *     translate:           {probability: 1, fraction: 0.1}           # of output size, [0.1] in [0, 1]
 *     color_shift:         {probability: 1, max_shift: 20}           # whole levels, [20] in [0, 255]
 *     pca_color:           {probability: 1, sigma: 0.1}              # ImageNet axes; sigma [0.1] in [0, 10]
 *     brightness_contrast: {probability: 1, brightness: [0.8, 1.2], contrast: [0.8, 1.2]}  # factors in [0, 10]; one number = fixed
 *     elastic:             {probability: 1, alpha: 34, sigma: 4}     # alpha [34] in [0, 1000] px, sigma [4] in [0.5, 16] px
 * </pre>
 * Every probability defaults to 1 (mirror's to 0.5 / 0).
 */
package dev.clpipe.augment;
