/**
 * Face detection with face-api's pretrained tiny face detector on our OpenCL kernels:
 * {@link dev.clpipe.detect.face.FaceDetector} (decoded images in, {@code Detection}s in image
 * pixels out), the network as a {@code nn.graph} ({@link dev.clpipe.nn.graph.TinyFaceDetectorGraph}),
 * face-api's preprocessing ({@link dev.clpipe.detect.face.NetInput}) and decoding
 * ({@link dev.clpipe.detect.face.TinyFaceDecoder}), and tiled / multi-scale inference for large
 * group photos ({@link dev.clpipe.detect.face.Tiling}). Reference: docs/face-models.md §3.
 */
package dev.clpipe.detect.face;
