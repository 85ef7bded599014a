package dev.clpipe.nn.ops;

/**
 * How a reduction over {@code total} rows is split: {@code count} chunks of {@code perChunk} rows,
 * each writing its own partial sum. Enough chunks for {@code minItems} work-items, and small enough
 * chunks ({@code maxPerChunk} rows) that the many work-items reading the same chunk find it in
 * cache; but no more than {@code maxCount} chunks (partial-sum memory).
 */
record Chunks(int count, int perChunk) {
    static Chunks plan(int total, int itemsPerChunk, int minItems) {
        return plan(total, itemsPerChunk, minItems, total, total);
    }

    static Chunks plan(int total, int itemsPerChunk, int minItems, int maxPerChunk, int maxCount) {
        int wanted = Math.max(1, Math.min(total, (minItems + itemsPerChunk - 1) / itemsPerChunk));
        wanted = Math.max(wanted, (total + Math.max(1, maxPerChunk) - 1) / Math.max(1, maxPerChunk));
        wanted = Math.max(1, Math.min(wanted, Math.min(total, maxCount)));
        int perChunk = (total + wanted - 1) / wanted;
        return new Chunks((total + perChunk - 1) / perChunk, perChunk);
    }
}
