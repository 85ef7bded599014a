package dev.clpipe.augment;

/**
 * One augmentation operation as configured: its YAML key and how likely it is to apply.
 * Records validate themselves in their compact constructors; messages name the field
 * ({@code rotate.degrees must be within [0, 180], got 400}).
 */
public sealed interface OpSpec
        permits MirrorSpec, CropSpec, RotateSpec, ShearSpec, ScaleSpec, TranslateSpec,
                ColorShiftSpec, PcaColorSpec, BrightnessContrastSpec, ElasticSpec, CentreCropSpec {
    /** The op's key in YAML (also its random-stream name, so renaming changes draws). */
    String name();
}
