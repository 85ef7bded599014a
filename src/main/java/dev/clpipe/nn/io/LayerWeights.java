package dev.clpipe.nn.io;

/** Weights of one convolution layer: a plain conv or a depthwise-separable one. */
public sealed interface LayerWeights permits ConvWeights, SeparableConvWeights {
    /** The tensor-name prefix, e.g. {@code conv1} or {@code dense0/conv0}. */
    String name();

    int inChannels();

    int outChannels();
}
