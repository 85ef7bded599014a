package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigSection;
import java.util.Iterator;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/** Stage types that exist only for runner tests: interruption, failure, counting, slowness. */
final class TestStages {
    private TestStages() {}

    /** Passes batches on, and after N of them asks the run to stop, as Ctrl-C does (0 = never). */
    static final class StopAfter implements StageType {
        public String name() {
            return "stop-after";
        }

        public String summary() {
            return "test: request a stop after N batches";
        }

        public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
            int limit = section.intIn("batches", 0, 1000);
            return new StagePlan.OfStage(id, name(), context -> new Stage() {
                private int seen;

                public java.util.List<Item> process(java.util.List<Item> batch) throws InterruptedException {
                    if (limit > 0 && ++seen == limit) {
                        // the batches before this one are in flight downstream: give them time to reach the
                        // sink (on a loaded machine a stage thread can wait long for a core), else a stop
                        // drops them and "the first part finished some items" is left to chance
                        Thread.sleep(300);
                        context.requestStop();
                    }
                    return batch;
                }
            });
        }
    }

    /** Counts every item it sees and puts the total into metrics.json at the end, like a clustering stage's summary. */
    static final class CountAll implements StageType {
        public String name() {
            return "count-all";
        }

        public String summary() {
            return "test: a whole-stream result (needs every item)";
        }

        public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
            return new StagePlan.OfStage(id, name(), context -> new Stage() {
                private final AtomicLong seen = new AtomicLong();

                public java.util.List<Item> process(java.util.List<Item> batch) {
                    seen.addAndGet(batch.size());
                    return batch;
                }

                public java.util.List<Item> finish() {
                    context.metrics().put("items_seen", seen.get());
                    return java.util.List.of();
                }
            }, true);
        }
    }

    /** Throws on its N-th batch. */
    static final class FailAfter implements StageType {
        public String name() {
            return "fail-after";
        }

        public String summary() {
            return "test: throw after N batches";
        }

        public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
            int limit = section.intIn("batches", 1, 1000);
            return new StagePlan.OfStage(id, name(), context -> new Stage() {
                private int seen;

                public java.util.List<Item> process(java.util.List<Item> batch) {
                    if (++seen == limit) throw new IllegalStateException("injected failure");
                    return batch;
                }
            });
        }
    }

    /** Runs out of memory for real on its N-th batch: one array larger than any test heap. */
    static final class OutOfMemoryAfter implements StageType {
        public String name() {
            return "out-of-memory-after";
        }

        public String summary() {
            return "test: allocate more than the heap after N batches";
        }

        public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
            int limit = section.intIn("batches", 1, 1000);
            return new StagePlan.OfStage(id, name(), context -> new Stage() {
                private int seen;

                public java.util.List<Item> process(java.util.List<Item> batch) {
                    if (++seen == limit) System.out.println(new long[Integer.MAX_VALUE - 16].length); // 16 GiB
                    return batch;
                }
            });
        }
    }

    /** Emits N numbered items and counts how many it has produced. */
    static final class CountingSource implements StageType {
        final AtomicLong produced = new AtomicLong();
        final AtomicLong consumed = new AtomicLong();
        private final AtomicLong maxAhead = new AtomicLong();

        long maxAhead() {
            return maxAhead.get();
        }

        public String name() {
            return "counting-source";
        }

        public String summary() {
            return "test: numbered items";
        }

        public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
            int count = section.intIn("items", 1, 1_000_000);
            return new StagePlan.OfSource(id, name(), context -> new Source() {
                public Iterator<Item> items() {
                    return new Iterator<>() {
                        public boolean hasNext() {
                            return produced.get() < count;
                        }

                        public Item next() {
                            long n = produced.incrementAndGet();
                            maxAhead.accumulateAndGet(n - consumed.get(), Math::max);
                            return new Item("item-" + n, n);
                        }
                    };
                }

                public OptionalLong expectedCount() {
                    return OptionalLong.of(count);
                }
            });
        }
    }

    /** Consumes slowly, telling the counting source how far it got. */
    static final class SlowSink implements StageType {
        private final CountingSource source;

        SlowSink(CountingSource source) {
            this.source = source;
        }

        public String name() {
            return "slow-sink";
        }

        public String summary() {
            return "test: a slow consumer";
        }

        public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
            int delayMs = section.intIn("delay_ms", 0, 10_000, 1);
            return new StagePlan.OfStage(id, name(), context -> batch -> {
                Thread.sleep(delayMs);
                source.consumed.addAndGet(batch.size());
                return batch;
            });
        }
    }

    /** Launches one small kernel per batch on the pipeline's device. */
    static final class DeviceScale implements StageType {
        public String name() {
            return "device-scale";
        }

        public String summary() {
            return "test: one kernel launch per batch";
        }

        public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
            return new StagePlan.OfStage(id, name(), context -> batch -> {
                dev.clpipe.cl.ClContext device = context.device();
                try (dev.clpipe.cl.ClBuffer buffer = device.buffer(new float[] {1, 2, 3});
                        dev.clpipe.cl.ClKernel kernel = device.program("elementwise.cl").kernel("scale")) {
                    kernel.arg(0, 2f).arg(1, buffer).arg(2, 3).launch(device.queue(), new long[] {3}, null);
                    device.queue().finish();
                }
                return batch;
            });
        }
    }
}
