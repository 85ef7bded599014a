package dev.clpipe.augment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an {@link AugmentConfig} from the plain map a YAML stage section parses into (see
 * package-info for the shape). Unknown keys and wrong types are errors naming the key
 * ({@code augment.ops.rotate.degree is not a known key; expected one of [probability, degrees]});
 * value ranges are checked by the spec records themselves.
 */
public final class AugmentConfigReader {
    private AugmentConfigReader() {}

    public static AugmentConfig read(Map<String, ?> section, long defaultSeed) {
        Fields f = new Fields("augment", section, Set.of("seed", "output_size", "fill", "ops", "kernels", "stage", "id"));
        long seed = f.has("seed") ? f.integer("seed") : defaultSeed;
        List<Integer> size = f.intList("output_size", 2);
        int fill = f.has("fill") ? (int) f.integer("fill") : 0;
        List<OpSpec> ops = new ArrayList<>();
        Map<String, ?> opMap = f.has("ops") ? f.map("ops") : Map.of();
        for (Map.Entry<String, ?> e : opMap.entrySet()) ops.add(op(e.getKey(), new Fields("augment.ops." + e.getKey(), asMap("augment.ops." + e.getKey(), e.getValue()), null)));
        return new AugmentConfig(ops, seed, size.get(0), size.get(1), fill);
    }

    /** The kernel variant named by {@code kernels:} (default rows). */
    public static KernelVariant variant(Map<String, ?> section) {
        Object value = section.get("kernels");
        if (value == null) return KernelVariant.ROWS;
        try {
            return KernelVariant.valueOf(value.toString().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("augment.kernels must be rows or simple, got " + value);
        }
    }

    private static OpSpec op(String name, Fields f) {
        switch (name) {
            case "mirror":
                f.allow("horizontal", "vertical");
                return new MirrorSpec(f.number("horizontal", 0.5), f.number("vertical", 0));
            case "crop":
                f.allow("probability", "size", "padding", "scale", "ratio");
                return new CropSpec(f.number("probability", 1), (int) f.number("size", 0), (int) f.number("padding", 0),
                        f.range("scale", Range.of(0.08, 1)), f.range("ratio", Range.of(3.0 / 4, 4.0 / 3)));
            case "centre_crop":
                f.allow();
                return new CentreCropSpec();
            case "rotate":
                f.allow("probability", "degrees");
                return new RotateSpec(f.number("probability", 1), f.number("degrees", 10));
            case "shear":
                f.allow("probability", "degrees");
                return new ShearSpec(f.number("probability", 1), f.number("degrees", 10));
            case "scale":
                f.allow("probability", "factor");
                return new ScaleSpec(f.number("probability", 1), f.range("factor", Range.of(0.9, 1.1)));
            case "translate":
                f.allow("probability", "fraction");
                return new TranslateSpec(f.number("probability", 1), f.number("fraction", 0.1));
            case "color_shift":
                f.allow("probability", "max_shift");
                return new ColorShiftSpec(f.number("probability", 1), (int) f.number("max_shift", 20));
            case "pca_color":
                f.allow("probability", "sigma");
                return new PcaColorSpec(f.number("probability", 1), f.number("sigma", 0.1), PcaColorSpec.IMAGENET_EIGENVALUES,
                        PcaColorSpec.IMAGENET_EIGENVECTORS);
            case "brightness_contrast":
                f.allow("probability", "brightness", "contrast");
                return new BrightnessContrastSpec(f.number("probability", 1), f.range("brightness", Range.of(0.8, 1.2)),
                        f.range("contrast", Range.of(0.8, 1.2)));
            case "elastic":
                f.allow("probability", "alpha", "sigma");
                return new ElasticSpec(f.number("probability", 1), f.number("alpha", 34), f.number("sigma", 4));
            default:
                throw new IllegalArgumentException("augment.ops." + name + " is not a known op; expected one of "
                        + "[mirror, crop, centre_crop, rotate, shear, scale, translate, color_shift, pca_color, brightness_contrast, elastic]");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> asMap(String key, Object value) {
        if (value == null) return Map.of(); // "rotate:" with no fields takes the defaults
        if (!(value instanceof Map)) throw new IllegalArgumentException(key + " must be a mapping, got " + value);
        return (Map<String, ?>) value;
    }

    /** One mapping with its dotted path, for messages. */
    private static final class Fields {
        private final String path;
        private final Map<String, ?> values;

        Fields(String path, Map<String, ?> values, Set<String> allowed) {
            this.path = path;
            this.values = new LinkedHashMap<>(values);
            if (allowed != null) allow(allowed.toArray(String[]::new));
        }

        void allow(String... keys) {
            for (String key : values.keySet()) {
                if (!List.of(keys).contains(key)) {
                    throw new IllegalArgumentException(path + "." + key + " is not a known key; expected one of " + List.of(keys));
                }
            }
        }

        boolean has(String key) {
            return values.get(key) != null;
        }

        double number(String key, double fallback) {
            Object v = values.get(key);
            if (v == null) return fallback;
            if (v instanceof Number n) return n.doubleValue();
            throw new IllegalArgumentException(path + "." + key + " must be a number, got " + v);
        }

        long integer(String key) {
            Object v = values.get(key);
            if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
            throw new IllegalArgumentException(path + "." + key + " must be a whole number, got " + v);
        }

        Map<String, ?> map(String key) {
            return asMap(path + "." + key, values.get(key));
        }

        Range range(String key, Range fallback) {
            Object v = values.get(key);
            if (v == null) return fallback;
            if (v instanceof Number n) return Range.fixed(n.doubleValue());
            if (v instanceof List<?> list && list.size() == 2 && list.get(0) instanceof Number a && list.get(1) instanceof Number b) {
                return Range.of(a.doubleValue(), b.doubleValue());
            }
            throw new IllegalArgumentException(path + "." + key + " must be [min, max] or one number, got " + v);
        }

        static boolean isInt(Object v) {
            return (v instanceof Integer || v instanceof Long) && ((Number) v).longValue() == ((Number) v).intValue();
        }

        List<Integer> intList(String key, int length) {
            Object v = values.get(key);
            // YAML readers give Integer or Long for whole numbers; both are fine when they fit an int.
            if (isInt(v)) return List.of(((Number) v).intValue(), ((Number) v).intValue());
            if (v instanceof List<?> list && list.size() == length && list.stream().allMatch(Fields::isInt)) {
                List<Integer> out = new ArrayList<>();
                for (Object x : list) out.add(((Number) x).intValue());
                return out;
            }
            throw new IllegalArgumentException(path + "." + key + " must be [height, width] or one size, got " + v);
        }
    }
}
