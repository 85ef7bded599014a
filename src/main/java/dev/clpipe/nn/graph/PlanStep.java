package dev.clpipe.nn.graph;

/** One node's forward (saving what its backward needs) and backward in a {@link TrainingPlan}; both only enqueue. */
interface PlanStep {
    /** Nothing to do: the input, and nodes whose output or gradient is their input's buffer (flatten, sum's backward). */
    PlanStep NONE = new PlanStep() {
        public void forward(boolean training, long step) {}

        public void backward(long step) {}
    };

    /** {@code training}: batch statistics and dropout; otherwise running statistics and the identity. */
    void forward(boolean training, long step);

    /** Overwrites the node's parameter gradients and the input gradients its {@link NodeBuffers#dx()} asks for. */
    void backward(long step);
}
