package dev.clpipe.nn.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clpipe.cl.ClContext;
import dev.clpipe.tensor.Npy;
import dev.clpipe.tensor.NpyArray;
import dev.clpipe.tensor.Tensor;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fixed cases computed by PyTorch (src/test/resources/nn/ops/make_op_vectors.py). On a mismatch,
 * check the op's definition against PyTorch's before regenerating the vectors with that script.
 */
@Tag("kernel")
class TorchVectorsTest {
    final ClContext ctx = TestDevices.context();

    static NpyArray load(String name) throws Exception {
        var url = TorchVectorsTest.class.getResource("/nn/ops/" + name + ".npy");
        if (url == null) throw new AssertionError("missing vector " + name + ".npy: run src/test/resources/nn/ops/make_op_vectors.py");
        return Npy.read(Path.of(url.toURI()));
    }

    Tensor tensor(String name) throws Exception {
        return load(name).toTensor(ctx);
    }

    static void expect(Tensor got, String name) throws Exception {
        Tolerance.FLOAT.assertClose(got.toHost(), load(name).data(), name + " vs PyTorch");
    }

    @Test
    void pooling() throws Exception {
        try (Pool2d max = new Pool2d(ctx, Pool2d.Mode.MAX, PoolWindow.of(3, 2, 1));
             Pool2d avg = new Pool2d(ctx, Pool2d.Mode.AVERAGE, PoolWindow.of(3, 2, 1))) {
            for (String name : new String[] {"maxpool", "avgpool"}) {
                Pool2d op = name.equals("maxpool") ? max : avg;
                try (Tensor x = tensor(name + "_x"); Tensor y = op.forward(x); Tensor dy = tensor(name + "_dy"); Tensor dx = op.backward(dy)) {
                    expect(y, name + "_y");
                    expect(dx, name + "_dx");
                }
            }
        }
    }

    @Test
    void resize() throws Exception {
        String[][] cases = {{"bilinear", "BILINEAR"}, {"bilinear2x", "BILINEAR"}, {"nearest", "NEAREST"}};
        for (String[] c : cases) {
            try (Tensor x = tensor(c[0] + "_x"); Tensor dy = tensor(c[0] + "_dy");
                 Upsample op = new Upsample(ctx, Upsample.Mode.valueOf(c[1]), dy.dim(2), dy.dim(3));
                 Tensor y = op.forward(x); Tensor dx = op.backward(dy, x.shape())) {
                expect(y, c[0] + "_y");
                expect(dx, c[0] + "_dx");
            }
        }
    }

    @Test
    void batchNormTrainingStep() throws Exception {
        try (BatchNorm op = new BatchNorm(ctx, 1e-5f, 0.1f); Tensor x = tensor("batchnorm_x"); Tensor gamma = tensor("batchnorm_gamma");
             Tensor beta = tensor("batchnorm_beta"); Tensor runMean = Tensor.zeros(ctx, 3); Tensor runVar = Tensor.zeros(ctx, 3).fill(1f);
             Tensor dy = tensor("batchnorm_dy"); BatchNorm.Training t = op.forwardTraining(x, gamma, beta, runMean, runVar);
             BatchNorm.Gradients g = op.backward(x, dy, gamma, t.mean(), t.invStd())) {
            expect(t.y(), "batchnorm_y");
            expect(runMean, "batchnorm_running_mean");
            expect(runVar, "batchnorm_running_var");
            expect(g.dx(), "batchnorm_dx");
            expect(g.dGamma(), "batchnorm_dgamma");
            expect(g.dBeta(), "batchnorm_dbeta");
        }
    }

    @Test
    void softmaxCrossEntropy() throws Exception {
        try (SoftmaxCrossEntropy op = new SoftmaxCrossEntropy(ctx); Tensor logits = tensor("xent_logits");
             SoftmaxCrossEntropy.Result r = op.forwardBackward(logits, load("xent_labels").toInts()); Tensor p = op.softmax(logits)) {
            float want = load("xent_loss").data()[0];
            assertTrue(Tolerance.FLOAT.accepts(r.lossValue(), want), "loss " + r.lossValue() + " vs PyTorch " + want);
            expect(r.dLogits(), "xent_dlogits");
            expect(p, "softmax_y");
        }
    }

    @Test
    void optimizers() throws Exception {
        try (Sgd sgd = new Sgd(ctx, new Sgd.Config(0.1f, 0.9f, 0f, 1e-2f, true)); Tensor p = tensor("sgd_p0"); Sgd.State s = new Sgd.State()) {
            for (int i = 0; i < 3; i++) try (Tensor g = tensor("sgd_g" + i)) { sgd.step(p, g, s); }
            expect(p, "sgd_p3");
        }
        Adam.Config adam = new Adam.Config(0.05f, 0.9f, 0.99f, 1e-8f, 1e-2f, false);
        Adam.Config adamW = new Adam.Config(0.05f, 0.9f, 0.99f, 1e-8f, 1e-1f, true);
        for (var c : new Object[][] {{"adam", adam}, {"adamw", adamW}}) {
            try (Adam op = new Adam(ctx, (Adam.Config) c[1]); Tensor p = tensor(c[0] + "_p0"); Adam.State s = new Adam.State()) {
                for (int i = 0; i < 3; i++) try (Tensor g = tensor(c[0] + "_g" + i)) { op.step(p, g, s); }
                expect(p, c[0] + "_p3");
            }
        }
    }
}
