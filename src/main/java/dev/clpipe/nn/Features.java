package dev.clpipe.nn;

/** Labelled feature rows in host memory: {@code values} holds count x shape.size() floats. */
public record Features(float[] values, int[] labels, Shape shape) {
    public Features {
        if ((long) labels.length * shape.size() != values.length) {
            throw new IllegalArgumentException(values.length + " values do not hold " + labels.length + " rows of " + shape);
        }
    }

    public int count() {
        return labels.length;
    }

    /**
     * Runs {@code net}'s frozen layers (evaluation mode) over every sample of {@code data} and
     * reads their output back: what a head on top of them sees.
     */
    public static Features extract(Network net, BatchSource data) {
        Shape shape = net.outputShapeOf(net.frozenLayers());
        int batch = net.batch(), width = shape.size();
        float[] values = new float[data.count() * width];
        float[] rows = new float[batch * width];
        try (var labels = net.context().buffer((long) batch * Integer.BYTES)) {
            data.setOrder(null);
            for (int first = 0; first < data.count(); first += batch) {
                int valid = Math.min(batch, data.count() - first);
                data.gather(first, valid, batch, net.input(), labels);
                net.forwardFrozen();
                net.frozenOutput().read(net.context().queue(), rows);
                System.arraycopy(rows, 0, values, first * width, valid * width);
            }
        }
        return new Features(values, data.labels().clone(), shape);
    }
}
