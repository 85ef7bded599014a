package dev.clpipe.nn.onnx;

import java.io.IOException;

/**
 * An ONNX file that cannot be read as a model: truncated or not ONNX, an opset out of range, a
 * dynamic shape that cannot be resolved, external data missing or outside the model's folder, a
 * tensor whose bytes disagree with its shape. A data error (exit 4); the message names the file
 * and, where there is one, the node or tensor.
 */
public class OnnxFormatException extends IOException {
    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
