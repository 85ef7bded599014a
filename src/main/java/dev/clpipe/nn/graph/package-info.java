/**
 * Device inference graphs for imported networks (face-api's TensorFlow.js models and the like):
 * a {@link dev.clpipe.nn.graph.GraphBuilder} records NHWC nodes with their weights into an
 * immutable {@link dev.clpipe.nn.graph.Graph}; {@link dev.clpipe.nn.graph.DeviceGraph} runs it on
 * one OpenCL device for any batch size (buffers planned once per batch size and reused), and
 * {@link dev.clpipe.nn.graph.GraphReference} evaluates the same graph in plain Java for tests.
 * Inference only: no gradients. Depends on {@code nn.ops} (kernels) and {@code nn.io} (weights).
 */
package dev.clpipe.nn.graph;
