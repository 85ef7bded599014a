package dev.clpipe.pipeline;

import dev.clpipe.config.ConfigSection;
import java.util.Iterator;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Stage types that exist only for runner tests: interruption, failure, counting, slowness. */
final class TestStages {
    private TestStages() {}

    /**
     * Passes batches on, and on its N-th asks the run to stop, as Ctrl-C does (0 = never). In a
     * pipeline whose last stage is {@link #signalling} it stops only once that stage has finished an
     * earlier batch: a stop drops what is still queued, so without that wait whether the first part
     * finished any item would depend on how the threads were scheduled.
     */
    static final class StopAfter extends AfterBatches {
        private final CountDownLatch sinkDone = new CountDownLatch(1);
        private volatile boolean awaitSink;

        StopAfter() {
            super("stop-after", "test: request a stop after N batches", 0);
        }

        /** {@code sink} under the name {@code NAME-then-signal}, telling this stage when it has finished a batch. */
        StageType signalling(StageType sink) {
            return new StageType() {
                public String name() {
                    return sink.name() + "-then-signal";
                }

                public String summary() {
                    return "test: " + sink.name() + ", telling stop-after when a batch is done";
                }

                public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
                    StagePlan.OfStage plan = (StagePlan.OfStage) sink.plan(id, section, pipeline);
                    awaitSink = true;
                    return new StagePlan.OfStage(id, name(), context -> {
                        Stage stage = plan.open(context);
                        return new Stage() {
                            public java.util.List<Item> process(java.util.List<Item> batch) throws Exception {
                                java.util.List<Item> out = stage.process(batch);
                                sinkDone.countDown(); // the last stage's batches are journalled, stop or not
                                return out;
                            }

                            public java.util.List<Item> finish() throws Exception {
                                return stage.finish();
                            }

                            public void close() throws Exception {
                                stage.close();
                            }
                        };
                    }, plan.needsEveryItem());
                }
            };
        }

        void reachedLimit(StageContext context) throws InterruptedException {
            if (awaitSink && !sinkDone.await(5, TimeUnit.MINUTES)) throw new IllegalStateException("the signalling sink finished no batch");
            context.requestStop();
        }
    }

    /** A stage that passes batches on and does something on its N-th ({@code batches}, at least {@code min}). */
    abstract static class AfterBatches implements StageType {
        private final String name;
        private final String summary;
        private final int min;

        AfterBatches(String name, String summary, int min) {
            this.name = name;
            this.summary = summary;
            this.min = min;
        }

        public String name() {
            return name;
        }

        public String summary() {
            return summary;
        }

        abstract void reachedLimit(StageContext context) throws InterruptedException;

        public StagePlan plan(String id, ConfigSection section, PipelineSettings pipeline) {
            int limit = section.intIn("batches", min, 1000);
            return new StagePlan.OfStage(id, name(), context -> new Stage() {
                private int seen;

                public java.util.List<Item> process(java.util.List<Item> batch) throws InterruptedException {
                    if (limit > 0 && ++seen == limit) reachedLimit(context);
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
    static final class FailAfter extends AfterBatches {
        FailAfter() {
            super("fail-after", "test: throw after N batches", 1);
        }

        void reachedLimit(StageContext context) {
            throw new IllegalStateException("injected failure");
        }
    }

    /** Runs out of memory for real on its N-th batch: one array larger than any test heap. */
    static final class OutOfMemoryAfter extends AfterBatches {
        OutOfMemoryAfter() {
            super("out-of-memory-after", "test: allocate more than the heap after N batches", 1);
        }

        void reachedLimit(StageContext context) {
            System.out.println(new long[Integer.MAX_VALUE - 16].length); // 16 GiB
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
