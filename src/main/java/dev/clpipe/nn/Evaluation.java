package dev.clpipe.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loss, accuracy and confusion matrix (rows = true class, columns = predicted) over a dataset. */
public record Evaluation(double loss, double accuracy, long[][] confusion) {
    public long count() {
        long n = 0;
        for (long[] row : confusion) for (long v : row) n += v;
        return n;
    }

    public Map<String, Object> toJson(boolean withConfusion) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("accuracy", accuracy);
        m.put("count", count());
        if (withConfusion) {
            List<List<Long>> rows = new ArrayList<>();
            for (long[] row : confusion) {
                List<Long> r = new ArrayList<>();
                for (long v : row) r.add(v);
                rows.add(r);
            }
            m.put("confusion", rows);
        }
        return m;
    }
}
