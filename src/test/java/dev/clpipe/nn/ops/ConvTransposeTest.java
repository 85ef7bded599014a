package dev.clpipe.nn.ops;

import static dev.clpipe.nn.ops.OpTesting.*;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvTranspose2d} (conv_transpose.cl) against {@link ConvTransposeReference}, and the twin
 * against its definition: a transposed convolution is the input gradient of the convolution with
 * the same window ({@link Conv2dReference#backwardData}).
 */
class ConvTransposeTest {
    /** (n, h, w, in, out, window): strides 1-3 (and unequal), pads, output_padding, dilations, 1x1 and non-square kernels. */
    record Case(int n, int h, int w, int in, int out, ConvTransposeWindow win) {
        @Override
        public String toString() {
            return n + "x" + h + "x" + w + "x" + in + "->" + out + " " + win;
        }
    }

    static final List<Case> CASES = List.of(
            new Case(2, 4, 5, 3, 6, new ConvTransposeWindow(3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1)),
            new Case(1, 3, 3, 4, 2, new ConvTransposeWindow(2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0)),
            new Case(2, 5, 6, 6, 5, new ConvTransposeWindow(2, 3, 1, 2, 2, 1, 0, 0, 1, 1, 0, 1)),
            new Case(1, 6, 4, 2, 3, new ConvTransposeWindow(4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0)),
            new Case(1, 3, 4, 5, 7, new ConvTransposeWindow(3, 3, 3, 3, 1, 1, 0, 2, 1, 0, 2, 1)),
            new Case(2, 7, 7, 8, 4, new ConvTransposeWindow(3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0)),
            new Case(1, 2, 9, 3, 3, new ConvTransposeWindow(1, 1, 2, 3, 1, 1, 0, 0, 0, 0, 1, 2)),
            new Case(3, 8, 8, 16, 8, new ConvTransposeWindow(5, 5, 2, 2, 1, 1, 2, 2, 2, 2, 1, 1)),
            new Case(1, 1, 1, 4, 6, new ConvTransposeWindow(3, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0)));

    @Test
    void twinIsTheInputGradientOfTheConvolution() {
        Random r = new Random(81);
        for (Case k : CASES) {
            ConvTransposeWindow v = k.win();
            float[] x = uniform(r, k.n() * k.h() * k.w() * k.in(), -1, 1);
            float[] w = uniform(r, v.kernelH() * v.kernelW() * k.in() * k.out(), -1, 1);
            // the forward convolution maps [oh, ow, out] to [h, w, in]: its HWIO weights are [kh][kw][out][in]
            float[] fw = new float[w.length];
            for (int t = 0; t < v.kernelH() * v.kernelW(); t++) for (int i = 0; i < k.in(); i++) for (int o = 0; o < k.out(); o++) {
                fw[(t * k.out() + o) * k.in() + i] = w[(t * k.in() + i) * k.out() + o];
            }
            Conv2dShape conv = Conv2dShape.input(k.n(), v.outH(k.h()), v.outW(k.w()), k.out()).output(k.in()).kernel(v.kernelH(), v.kernelW())
                    .stride(v.strideH(), v.strideW()).dilation(v.dilationH(), v.dilationW())
                    .padding(v.padTop(), v.padBottom(), v.padLeft(), v.padRight()).build();
            Tolerance.FLOAT.assertClose(ConvTransposeReference.forward(v, x, k.n(), k.h(), k.w(), k.in(), k.out(), w, null),
                    Conv2dReference.backwardData(conv, x, fw), "twin vs conv input gradient " + k);
        }
    }

    @Tag("kernel")
    @Test
    void kernelMatchesTwin() {
        ClContext ctx = TestDevices.context();
        Random r = new Random(82);
        for (Case k : cases(3, CASES)) {
            ConvTransposeWindow v = k.win();
            float[] x = uniform(r, k.n() * k.h() * k.w() * k.in(), -1, 1);
            float[] w = uniform(r, v.kernelH() * v.kernelW() * k.in() * k.out(), -1, 1);
            float[] b = uniform(r, k.out(), -1, 1);
            float[] want = ConvTransposeReference.forward(v, x, k.n(), k.h(), k.w(), k.in(), k.out(), w, b);
            try (ConvTranspose2d op = new ConvTranspose2d(ctx, v); ClBuffer xb = ctx.buffer(x); ClBuffer wb = ctx.buffer(w);
                 ClBuffer bb = ctx.buffer(b); ClBuffer yb = ctx.buffer((long) want.length * Float.BYTES)) {
                op.forward(xb, wb, bb, yb, k.n(), k.h(), k.w(), k.in(), k.out());
                Tolerance.FLOAT.assertClose(yb.readFloats(ctx.queue()), want, "conv_transpose_nhwc " + k);
            }
        }
    }
}
