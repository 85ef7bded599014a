/**
 * ONNX models in and out: {@link dev.clpipe.nn.onnx.OnnxImporter} reads a {@code .onnx} file
 * (protobuf classes generated from the upstream {@code onnx.proto} at build time) into an
 * {@link dev.clpipe.nn.onnx.OnnxNetwork}, a {@link dev.clpipe.nn.graph.Graph} plus the NCHW
 * shapes ONNX speaks; {@link dev.clpipe.nn.onnx.OnnxTensors} decodes initializers (inline or
 * external data, checked against their shapes). Depends on {@code nn.graph}.
 */
package dev.clpipe.nn.onnx;
