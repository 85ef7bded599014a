package dev.clpipe.nn.ops;

/**
 * The geometry of a 2-D transposed convolution: kernel, stride, dilation, the pads taken off the
 * full output ({top, bottom, left, right} as ONNX's {@code pads}) and {@code output_padding}
 * added at the bottom/right.
 */
public record ConvTransposeWindow(int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
                                  int padTop, int padBottom, int padLeft, int padRight, int outPadH, int outPadW) {
    public ConvTransposeWindow {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("transposed convolution: kernel, strides and dilations must be >= 1, got " + this);
        }
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0 || outPadH < 0 || outPadW < 0) {
            throw new IllegalArgumentException("transposed convolution: pads and output_padding must be >= 0, got " + this);
        }
        // ONNX and PyTorch: output_padding must be smaller than the stride or the dilation
        if (outPadH >= Math.max(strideH, dilationH) || outPadW >= Math.max(strideW, dilationW)) {
            throw new IllegalArgumentException("transposed convolution: output_padding must be smaller than the stride or dilation, got " + this);
        }
    }

    public int outH(int h) {
        return (h - 1) * strideH - padTop - padBottom + dilationH * (kernelH - 1) + 1 + outPadH;
    }

    public int outW(int w) {
        return (w - 1) * strideW - padLeft - padRight + dilationW * (kernelW - 1) + 1 + outPadW;
    }
}
