package dev.clpipe.spark;

import dev.clpipe.nn.train.GroupReplicaSession;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.BarrierTaskContext;

/**
 * The gradient exchange of Spark barrier tasks: {@link BarrierTaskContext#allGather}, which
 * carries strings through the driver, with each member's bytes in Base64. Every task of the
 * barrier stage is one member; its partition is its rank.
 */
final class BarrierExchange implements GroupReplicaSession.Exchange {
    private final BarrierTaskContext context;

    BarrierExchange(BarrierTaskContext context) {
        this.context = context;
    }

    @Override
    public int rank() {
        return context.partitionId();
    }

    @Override
    public int size() {
        return context.getTaskInfos().length;
    }

    @Override
    public List<byte[]> allGather(byte[] mine) {
        String[] all = context.allGather(Base64.getEncoder().encodeToString(mine));
        List<byte[]> out = new ArrayList<>(all.length);
        for (String s : all) out.add(Base64.getDecoder().decode(s));
        return out;
    }
}
