package dev.clpipe.nn.ops;

import dev.clpipe.cl.ClBuffer;
import dev.clpipe.cl.ClContext;
import dev.clpipe.testing.TestDevices;
import dev.clpipe.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** column_sums (gemm.cl) against a plain double-precision sum over odd and degenerate shapes. */
@Tag("kernel")
class ColumnSumsTest {
    @Test
    void matchesJavaSums() {
        ClContext cl = TestDevices.context();
        Random r = new Random(5);
        try (ColumnSums op = new ColumnSums(cl)) {
            for (int[] s : new int[][] {{1, 1}, {1, 10}, {7, 3}, {64, 65}, {129, 17}, {300, 1}}) {
                int rows = s[0], cols = s[1];
                float[] dy = new float[rows * cols];
                for (int i = 0; i < dy.length; i++) dy[i] = r.nextFloat() * 2 - 1;
                float[] want = new float[cols];
                for (int j = 0; j < cols; j++) {
                    double sum = 0;
                    for (int i = 0; i < rows; i++) sum += dy[i * cols + j];
                    want[j] = (float) sum;
                }
                try (ClBuffer d = cl.buffer(dy); ClBuffer db = cl.buffer((long) cols * Float.BYTES)) {
                    op.run(d, db, rows, cols);
                    Tolerance.FLOAT.assertClose(db.readFloats(cl.queue()), want, rows + "x" + cols);
                }
            }
        }
    }
}
