package dev.clpipe.nn;

/**
 * Where a network's batch starts within the whole batch of a step: 0 on one device; a replica
 * of a split batch sets its first row, so row-keyed randomness (dropout masks) does not depend
 * on the split.
 */
final class RowOffset {
    private volatile int rows;

    int rows() {
        return rows;
    }

    void set(int rows) {
        if (rows < 0) throw new IllegalArgumentException("row offset must be >= 0, got " + rows);
        this.rows = rows;
    }
}
