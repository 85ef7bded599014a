package dev.clpipe.cli;

import dev.clpipe.testing.Schemas;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.bench.BenchResult;
import dev.clpipe.bench.BenchSuite;
import dev.clpipe.cl.ClContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    /** A suite that reports one fixed row, so dispatch and output are tested without timing kernels. */
    static final class FakeSuite implements BenchSuite {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public void run(ClContext context, boolean quick, Consumer<BenchResult> sink, PrintStream log) {
            sink.accept(BenchResult.call("op", "1x1", "Variant", dev.clpipe.bench.BenchDevice.of(context), 1.5, 2.5));
        }
    }

    private static String run(ExitCode expected, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Main main = new Main(out, List.of(new BenchCommand(out, List.of(new FakeSuite()))));
        assertEquals(expected, main.run(args));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dispatchesToTheNamedSuiteAndPrintsJson() throws Exception {
        String json = run(ExitCode.OK, "bench", "fake", "--json", "--device", "cpu");
        assertTrue(json.contains("\"op\" : \"op\"") && json.contains("\"gflops\" : 2.5"), json);
        Schemas.assertValid("bench", new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
    }

    @Test
    void unknownOrMissingSuiteIsAUsageError() {
        run(ExitCode.USAGE, "bench", "fak");
        run(ExitCode.USAGE, "bench");
    }
}
