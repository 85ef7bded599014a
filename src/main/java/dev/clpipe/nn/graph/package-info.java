/**
 * Device network graphs: a {@link dev.clpipe.nn.graph.GraphBuilder} records NHWC nodes with their
 * weights into an immutable {@link dev.clpipe.nn.graph.Graph}. Imported networks build one
 * (face-api's TensorFlow.js models, ONNX), and {@link dev.clpipe.nn.graph.SpecGraph} compiles a
 * zoo model ({@code nn.ModelSpec}, the model YAML's form) with its checkpoint parameters into one
 * (batch norm, dropout and flatten are nodes too, so the graph is the whole trainable model).
 * {@link dev.clpipe.nn.graph.DeviceGraph} runs a graph's inference on one OpenCL device for any
 * batch size (buffers planned once per batch size and reused), and
 * {@link dev.clpipe.nn.graph.GraphReference} evaluates the same graph in plain Java for tests.
 * {@link dev.clpipe.nn.graph.TrainingPlan} trains a graph of any node kind the inference plan runs
 * except softmax (losses take the logits) and the new ConvTranspose and Resize (saved activations, weight and input gradients through the same
 * {@code nn.ops} entry points, one small step class per node family, checkpoint parameter names,
 * freezing for transfer learning; a ReLU whose only reader is a max pool is folded into the pool,
 * {@link dev.clpipe.nn.graph.ReluFolds}, and a ReLU next to dense layers runs inside their GEMMs,
 * {@link dev.clpipe.nn.graph.DenseReluFolds}: the same floats in fewer launches); its frozen form gives only input gradients, at the output and
 * at tapped inner nodes (style transfer's feature networks); {@code nn.Network}, what the trainers use, is a model spec on its training plan. Depends on {@code nn.ops} (kernels) and {@code nn.io} (weights).
 */
package dev.clpipe.nn.graph;
