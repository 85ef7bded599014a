package dev.clpipe.nn.onnx;

/**
 * A well-formed ONNX model that uses an operator (or an operator setting) clpipe's graph does not
 * run. A usage error (exit 2): the message names the file, the node and the operator.
 */
public class UnsupportedOnnxException extends RuntimeException {
    public UnsupportedOnnxException(String message) {
        super(message);
    }
}
