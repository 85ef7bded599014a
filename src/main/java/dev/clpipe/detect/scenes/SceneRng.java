package dev.clpipe.detect.scenes;

import dev.clpipe.nn.ops.Philox;

/**
 * Counter-based random numbers for one scene: draw k of scene i under seed s is a pure function
 * of (s, i, k) (Philox-4x32), so scene i is the same whatever order or thread it is made in.
 */
final class SceneRng {
    private final int k0;
    private final int k1;
    private final int scene;
    private final int stream;
    private int counter;
    private int[] block;
    private int used = 4;

    SceneRng(long seed, int stream, int scene) {
        this.k0 = (int) seed;
        this.k1 = (int) (seed >>> 32);
        this.stream = stream;
        this.scene = scene;
    }

    private int nextWord() {
        if (used == 4) {
            block = Philox.philox4x32(counter++, scene, stream, 0x5CE4E, k0, k1);
            used = 0;
        }
        return block[used++];
    }

    /** Uniform in [0, 1). */
    double uniform() {
        return Philox.uniform(nextWord());
    }

    /** Uniform integer in [lo, hi] (inclusive). */
    int between(int lo, int hi) {
        return lo + (int) Math.min(hi - lo, (long) (uniform() * (hi - lo + 1)));
    }
}
