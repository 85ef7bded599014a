package dev.clpipe.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Lists of numbers, integers and strings; a single scalar is not promoted to a list. */
final class ListReader {

    private final KeyReader reader;

    ListReader(KeyReader reader) {
        this.reader = reader;
    }

    List<Double> doubles(String key, List<Double> defaultValue) {
        return list(key, "a list of numbers", defaultValue, "a number", ScalarValues::number);
    }

    List<Integer> ints(String key, List<Integer> defaultValue) {
        return list(key, "a list of integers", defaultValue, "an integer",
                n -> ScalarValues.intIn(n, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    List<String> strings(String key, List<String> defaultValue) {
        return list(key, "a list of strings", defaultValue, "a string", ScalarValues::text);
    }

    /** Items converted by {@code item} (null refuses one); errors name the item, e.g. {@code t.mean[1]}. */
    private <T> List<T> list(String key, String expected, List<T> defaultValue, String itemExpected,
            Function<ConfigNode, T> item) {
        return reader.read(key, expected, defaultValue, n -> {
            if (!(n instanceof ConfigList list)) {
                return null;
            }
            List<T> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                T v = item.apply(list.get(i));
                if (v == null) {
                    throw SectionErrors.wrongItem(reader.keys().keyPath(key) + "[" + i + "]", itemExpected, list.get(i));
                }
                out.add(v);
            }
            return List.copyOf(out);
        });
    }
}
