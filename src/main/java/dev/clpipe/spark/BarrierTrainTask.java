package dev.clpipe.spark;

import dev.clpipe.cl.ClException;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.pipeline.Job;
import dev.clpipe.pipeline.Pipeline;
import dev.clpipe.pipeline.PipelineRun;
import dev.clpipe.pipeline.RunFolder;
import dev.clpipe.pipeline.StageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * One barrier task of a training job: one replica. Member 0 runs the whole pipeline in the run
 * folder the driver made, as {@code clpipe run} would (a fresh run, or a resumed one when the
 * folder already holds run.json: a resubmitted job or Spark's retry of the barrier stage), with
 * its train stage joined to the others; every other member runs only the train stage's job, which
 * follows the leader's epochs. Returns one line: {@code member R on HOST: STATUS}.
 */
final class BarrierTrainTask implements FlatMapFunction<Iterator<Integer>, String> {
    private static final long serialVersionUID = 1L;
    private final SparkJobSpec spec;
    private final String trainStage;
    private final List<String> command;

    BarrierTrainTask(SparkJobSpec spec, String trainStage, List<String> command) {
        this.spec = spec;
        this.trainStage = trainStage;
        this.command = List.copyOf(command);
    }

    @Override
    public Iterator<String> call(Iterator<Integer> partition) throws Exception {
        BarrierTaskContext task = BarrierTaskContext.get();
        int rank = task.partitionId(), size = task.getTaskInfos().length;
        String host = host(task.getTaskInfos()[rank].address()); // as Spark reaches this executor; the other members connect to it
        String who = "replica " + rank + " of " + size + " on executor host " + host;
        Supplier<ClRuntime> runtime = () -> spec.kernels().map(k -> ClRuntime.offline(Path.of(k))).orElseGet(ClRuntime::standard);
        try (SocketExchange group = SocketExchange.open(rank, size, host, task::allGather)) {
            Pipeline pipeline = PipelineLoader.plan(spec);
            return List.of(who + ": " + (rank == 0 ? lead(pipeline, group, runtime) : follow(pipeline, group, runtime))).iterator();
        } catch (ClException e) {
            throw new ClException(who + ": " + e.getMessage(), e); // the driver names the host in its one-line error
        }
    }

    /** The host of Spark's {@code host:port} task address ({@code [v6]:port} too). */
    static String host(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon > 0 && address.indexOf(':') == colon || address.startsWith("[") ? address.substring(0, colon) : address;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private String lead(Pipeline pipeline, SocketExchange group, Supplier<ClRuntime> runtime) throws Exception {
        Path folder = Path.of(spec.runFolder());
        boolean resume = Files.isRegularFile(folder.resolve("run.json"));
        PipelineRun.Result result = PipelineRun.execute(pipeline, runtime, new PipelineRun.Options(resume ? Optional.of(folder) : Optional.empty(),
                false, command, false, resume ? Optional.empty() : Optional.of(folder), context -> context.joinReplicaGroup(group)));
        return (resume ? "resumed, " : "") + result.status().name().toLowerCase();
    }

    private String follow(Pipeline pipeline, SocketExchange group, Supplier<ClRuntime> runtime) throws Exception {
        Path scratch = Files.createDirectories(Path.of(spec.runFolder(), StagingFolder.NAME, "replica-" + group.rank()));
        try (StageContext context = new StageContext(pipeline.settings(), RunFolder.create(scratch, "follower", LocalDateTime.now()), runtime)) {
            context.joinReplicaGroup(group);
            Job job = SparkTraining.trainStage(pipeline, trainStage).open(context);
            job.run(context);
        }
        return "followed";
    }
}
