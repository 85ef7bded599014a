package dev.clpipe.spark;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * A Java partition function as the Scala function {@code RDDBarrier.mapPartitions} takes (Spark's
 * Java API has no barrier mode).
 */
final class BarrierPartitions<T, R> extends AbstractFunction1<scala.collection.Iterator<T>, scala.collection.Iterator<R>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final FlatMapFunction<Iterator<T>, R> body;

    BarrierPartitions(FlatMapFunction<Iterator<T>, R> body) {
        this.body = body;
    }

    @Override
    public scala.collection.Iterator<R> apply(scala.collection.Iterator<T> partition) {
        try {
            return CollectionConverters.asScala(body.call(CollectionConverters.asJava(partition)));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
