/**
 * Image classification on a device for inference: {@link dev.clpipe.nn.infer.Classifier} (a model
 * YAML's network with trained weights) and {@link dev.clpipe.nn.infer.OnnxClassifier} (an imported
 * ONNX classifier) behind {@link dev.clpipe.nn.infer.ImageClassifier}: decoded images in (resized
 * nearest to the input, normalised), softmax probabilities out. The predict stage runs one per device.
 */
package dev.clpipe.nn.infer;
