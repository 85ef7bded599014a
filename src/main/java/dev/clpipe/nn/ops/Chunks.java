package dev.clpipe.nn.ops;

/**
 * How a reduction over {@code total} rows is split so that at least {@code minItems} work-items
 * run: {@code count} chunks of {@code perChunk} rows, each writing its own partial sum.
 */
record Chunks(int count, int perChunk) {
    static Chunks plan(int total, int itemsPerChunk, int minItems) {
        int wanted = Math.max(1, Math.min(total, (minItems + itemsPerChunk - 1) / itemsPerChunk));
        int perChunk = (total + wanted - 1) / wanted;
        return new Chunks((total + perChunk - 1) / perChunk, perChunk);
    }
}
