package dev.clpipe.spark;

import java.io.Serializable;
import java.util.List;

/**
 * The lines one input image got in one per-run JSON Lines file (detections.jsonl, faces.jsonl,
 * ...), in the order its stage wrote them; {@code index} is the image's place in the one-machine
 * walk, so the driver can put every executor's parts back in {@code clpipe run}'s order.
 */
record LinePart(long index, String file, List<String> lines) implements Serializable {
    private static final long serialVersionUID = 1L;
}
