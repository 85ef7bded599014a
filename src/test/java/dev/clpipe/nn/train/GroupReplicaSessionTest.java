package dev.clpipe.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.cl.parallel.FaultPlan;
import dev.clpipe.nn.Dataset;
import dev.clpipe.nn.DeviceSources;
import dev.clpipe.nn.TrainSettings;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two members of a group, each in its own thread with its own OpenCL context (as two Spark
 * barrier tasks are, through an in-memory all-gather here), end with exactly the weights of a
 * {@link ReplicatedTrainer} on two replicas with the same even split: the all-reduce sums in the
 * same order. A leader restored from a checkpoint brings its follower along, and the resumed run
 * ends with the uninterrupted run's weights; a stop ends the follower's loop.
 */
class GroupReplicaSessionTest {
    private static final Dataset TRAIN = TrainFixtures.data(128, 1);
    private static final Dataset TEST = TrainFixtures.data(40, 2);
    private static final TrainSettings SETTINGS = TrainFixtures.settings(64, 2);
    private static final DeviceSources DATA = DeviceSources.uploaded(TRAIN, TEST, 0.13f, 0.31f);
    private static ClContext second;
    private static List<float[]> oneMachine;
    private static EpochStats oneMachineLast;

    @BeforeAll
    static void trainOnOneMachine() {
        ClContext device = TestDevices.context();
        second = ClRuntime.standard().openOne(System.getProperty("clpipe.test.device", "cpu"));
        try (ReplicatedTrainer two = new ReplicatedTrainer(List.of(device, second), TrainFixtures.MODEL, SETTINGS, TRAIN, TEST, 0.13f, 0.31f,
                FaultPlan.NONE, 0)) {
            two.trainEpoch(n -> { }, () -> false);
            oneMachineLast = two.trainEpoch(n -> { }, () -> false);
            assertEquals(32, two.split()[1]);
            oneMachine = TrainFixtures.weights(two.network());
        }
    }

    @AfterAll
    static void close() {
        second.close();
    }

    /** An all-gather among threads: every member's message in rank order once all have sent. */
    private static final class Threads {
        final byte[][] slots;
        final CyclicBarrier sent, read;

        Threads(int n) {
            slots = new byte[n][];
            sent = new CyclicBarrier(n);
            read = new CyclicBarrier(n);
        }

        GroupReplicaSession.Exchange member(int rank) {
            return new GroupReplicaSession.Exchange() {
                public int rank() {
                    return rank;
                }

                public int size() {
                    return slots.length;
                }

                public List<byte[]> allGather(byte[] mine) {
                    try {
                        slots[rank] = mine;
                        sent.await();
                        List<byte[]> all = new ArrayList<>(Arrays.asList(slots));
                        read.await();
                        return all;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        }
    }

    /** Runs {@code lead} on member 0 of a new group and follows it on member 1 (its own context); the leader's result. */
    private static <T> T inGroup(Function<GroupReplicaSession, T> lead) throws Exception {
        Threads group = new Threads(2);
        CompletableFuture<Void> follower = CompletableFuture.runAsync(() -> {
            try (GroupReplicaSession member = new GroupReplicaSession(second, TrainFixtures.MODEL, SETTINGS, DATA, group.member(1))) {
                member.follow();
            }
        });
        T result;
        try (GroupReplicaSession leader = new GroupReplicaSession(TestDevices.context(), TrainFixtures.MODEL, SETTINGS, DATA,
                group.member(0))) {
            result = lead.apply(leader);
        }
        follower.get();
        return result;
    }

    @Test
    void twoMembersReachTheWeightsOfTwoReplicasOnOneMachine() throws Exception {
        List<Object> got = inGroup(leader -> {
            leader.trainEpoch(n -> { }, () -> false);
            EpochStats last = leader.trainEpoch(n -> { }, () -> false);
            return List.of(last, TrainFixtures.weights(leader.network()), leader.deviceMetrics());
        });
        EpochStats last = (EpochStats) got.get(0);
        @SuppressWarnings("unchecked")
        List<float[]> weights = (List<float[]>) got.get(1);
        for (int i = 0; i < oneMachine.size(); i++) Tolerance.EXACT.assertClose(weights.get(i), oneMachine.get(i), "parameter " + i);
        assertEquals(oneMachineLast.loss(), last.loss(), 0.0);
        assertEquals(oneMachineLast.accuracy(), last.accuracy(), 0.0);
        assertTrue(got.get(2).toString().contains("rows=32"), got.get(2).toString());
    }

    @Test
    void aRestoredLeaderBringsItsFollowerAlong(@TempDir Path dir) throws Exception {
        Path saved = inGroup(leader -> {
            leader.trainEpoch(n -> { }, () -> false);
            try {
                return leader.save(dir, new java.util.LinkedHashMap<>());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(Files.isDirectory(saved));
        List<float[]> weights = inGroup(leader -> {
            try {
                leader.load(saved);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            assertEquals(1, leader.epoch());
            leader.trainEpoch(n -> { }, () -> false);
            return TrainFixtures.weights(leader.network());
        });
        for (int i = 0; i < oneMachine.size(); i++) Tolerance.EXACT.assertClose(weights.get(i), oneMachine.get(i), "parameter " + i);
    }

    @Test
    void aStopEndsTheEpochOnEveryMember() throws Exception {
        EpochStats stopped = inGroup(leader -> leader.trainEpoch(n -> { }, () -> true));
        assertNull(stopped);
    }
}
