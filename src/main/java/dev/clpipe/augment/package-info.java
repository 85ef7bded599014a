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
 * <p>Suggested YAML for an augment stage (keys map one to one to the spec records; defaults in
 * brackets; an op that is absent does not run):
 * <pre>
 * - stage: augment
 *   seed: 1234                 # [run seed] every draw is f(seed, epoch, sample index, op)
 *   output_size: [224, 224]    # required: [height, width], 1..32768
 *   fill: 0                    # [0] 0..255, value for pixels sampled outside the source
 *   kernels: rows              # [rows] rows | simple (see KernelVariant)
 *   ops:                       # each op at most once; fused order is fixed: crop, mirror,
 *                              # rotate/shear/scale/translate (in list order), colour ops (in list order), elastic
 *     mirror:              {horizontal: 0.5, vertical: 0}       # probabilities [0.5, 0], each in [0, 1]
 *     crop:                {probability: 1, size: 224, padding: 0}               # size in pixels (0 = use scale/ratio)
 *     # crop:              {probability: 1, scale: [0.08, 1], ratio: [0.75, 1.333]}  # RandomResizedCrop
 *     rotate:              {probability: 0.5, degrees: 10}      # angle ~ U[-degrees, degrees], degrees in [0, 180]
 *     shear:               {probability: 0.5, degrees: 10}      # [0, 60]
 *     scale:               {probability: 0.5, factor: [0.9, 1.1]}   # each in [0.05, 20]
 *     translate:           {probability: 0.5, fraction: 0.1}    # of output size, [0, 1]
 *     color_shift:         {probability: 0.5, max_shift: 20}    # whole levels, [0, 255]
 *     pca_color:           {probability: 0.5, sigma: 0.1}       # [0, 10]; eigen: imagenet | fit | explicit values/vectors
 *     brightness_contrast: {probability: 0.5, brightness: [0.8, 1.2], contrast: [0.8, 1.2]}  # factors in [0, 10]
 *     elastic:             {probability: 0.3, alpha: 34, sigma: 4}   # alpha [0, 1000] px, sigma [0.5, 16] px
 * </pre>
 */
package dev.clpipe.augment;
