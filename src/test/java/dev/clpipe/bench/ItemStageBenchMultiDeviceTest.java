package dev.clpipe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.testing.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The item stages' several-device benches ({@code bench detect}, {@code bench faces},
 * {@code bench predict} with two devices) on two PoCL devices, quick: two rows each, valid bench JSON, the speed-up the ratio of
 * the together row to the mean device alone, and every device of the together pool given work.
 * Needs the face-api models. Speed is not judged here (the machine is shared): only that the
 * report is consistent with itself.
 */
@Tag("multidevice")
class ItemStageBenchMultiDeviceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void check(MultiDeviceSuite suite, String stage, int itemsPerCall) throws Exception {
        List<ClContext> devices = ClRuntime.standard().open("all");
        try {
            assertEquals(2, devices.size(), "POCL_DEVICES=\"pthread pthread\" gives two devices");
            List<BenchResult> rows = new ArrayList<>();
            Map<String, Object> report = suite.runTogether(devices, true, rows::add, null);
            JsonNode json = JSON.valueToTree(rows);
            Schemas.assertValid("bench", json);
            assertEquals(2, rows.size());
            assertEquals(stage + " stage, one device", rows.get(0).op());
            assertEquals(stage + " stage, device pool", rows.get(1).op());
            List<?> single = (List<?>) report.get("single_images_per_s");
            double mean = single.stream().mapToDouble(x -> ((Number) x).doubleValue()).average().orElseThrow();
            double together = ((Number) report.get("together_images_per_s")).doubleValue();
            assertEquals(together / mean, json.get(1).get("figures").get("speedup_x").asDouble(), 1e-3 * together / mean);
            assertEquals(mean, rows.get(0).imagesPerS(), 1e-3 * mean);
            assertEquals(together, rows.get(1).imagesPerS(), 1e-3 * together);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> pool = (List<Map<String, Object>>) report.get("devices");
            assertEquals(2, pool.size());
            long items = 0;
            for (Map<String, Object> d : pool) {
                long n = ((Number) d.get("items")).longValue();
                assertTrue(n > 0, "each device of the pool took pieces: " + pool);
                items += n;
            }
            assertEquals(2L * itemsPerCall, items, "warm-up and one quick round, each item once: " + pool);
        } finally {
            devices.forEach(ClContext::close);
        }
    }

    @Test
    void detectFacesPoolReportsItsScaling() throws Exception {
        check(new DetectBench(), "detect-faces", 16);
    }

    @Test
    void faceEmbedPoolReportsItsScaling() throws Exception {
        check(new FacesSuite(), "face-embed", 8);
    }

    @Test
    void predictPoolReportsItsScaling() throws Exception {
        check(new PredictSuite(), "predict", 5 * 64); // quick: five stage calls of 64 images a measurement
    }
}
