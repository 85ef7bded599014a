package dev.clpipe.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** What one stage reported in a run's metrics.json ({@code stages.<id>}). */
public final class MetricsJson {
    private MetricsJson() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> stage(Map<String, Object> metrics, String id) {
        Map<String, Object> stages = (Map<String, Object>) metrics.get("stages");
        Object stage = stages.get(id);
        if (stage == null) throw new AssertionError("metrics.json has no stage '" + id + "': " + stages.keySet());
        return (Map<String, Object>) stage;
    }

    public static JsonNode stage(JsonNode metrics, String id) {
        JsonNode stage = metrics.path("stages").get(id);
        if (stage == null) throw new AssertionError("metrics.json has no stage '" + id + "': " + metrics.path("stages"));
        return stage;
    }
}
