/*
 * dropout.cl - inverted dropout with a counter-based generator (Philox-4x32-10, Salmon et al.
 * 2011, "Parallel random numbers: as easy as 1, 2, 3"), so the mask is a pure function of
 * (seed, stream, element index): forward and backward recompute it instead of storing it, and
 * the Java twin (dev.clpipe.nn.ops.Philox) produces the identical mask bit for bit.
 *
 * Element e uses word (e & 3) of philox(counter = {e >> 2, streamLo, streamHi, 0},
 *   key = {seedLo, seedHi}); u = (word >> 8) * 2^-24 in [0, 1); the element is dropped when u < p.
 * Kept elements are multiplied by scale = 1 / (1 - p) (computed on the host, 0 when p = 1).
 * Parameters (-D): none. Layout: any (flat arrays). One work-item per 4 elements (guarded);
 * dropout_apply_at: one work-item per element.
 *
 * dropout_apply_at applies the mask of elements [offset, offset + n) of a longer array to an
 * n-element slice, so a batch split over devices draws exactly the mask of the whole batch.
 */

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/*
 * One 32x32 -> 64-bit product gives both halves: mul_hi is a library call on PoCL that stops the
 * work-group vectoriser (dropout ran ~9x slower than a ReLU pass over the same tensor); the
 * unrolled rounds with plain 64-bit multiplies vectorise across work-items. Same bits.
 */
inline uint4 philox4x32_10(uint4 c, uint2 k) {
    #pragma unroll
    for (int r = 0; r < 10; r++) {
        const ulong p0 = (ulong)PHILOX_M0 * (ulong)c.x, p1 = (ulong)PHILOX_M1 * (ulong)c.z;
        c = (uint4)((uint)(p1 >> 32) ^ c.y ^ k.x, (uint)p1, (uint)(p0 >> 32) ^ c.w ^ k.y, (uint)p0);
        k.x += PHILOX_W0;
        k.y += PHILOX_W1;
    }
    return c;
}

/* Raw generator output, for the known-answer test against the Java twin. */
__kernel void philox_words(__global uint* out, const uint c0, const uint c1, const uint c2, const uint c3,
                           const uint k0, const uint k1) {
    if (get_global_id(0) != 0) return;
    const uint4 r = philox4x32_10((uint4)(c0, c1, c2, c3), (uint2)(k0, k1));
    out[0] = r.x; out[1] = r.y; out[2] = r.z; out[3] = r.w;
}

/* out = keep(e) ? in * scale : 0. Used for forward (in = x) and backward (in = dy). */
__kernel void dropout_apply(__global const float* in, __global float* out, const float p, const float scale,
                            const uint seedLo, const uint seedHi, const uint streamLo, const uint streamHi,
                            const int n) {
    const int j = get_global_id(0);
    const int e0 = j * 4;
    if (e0 >= n) return;
    const uint4 r = philox4x32_10((uint4)((uint)j, streamLo, streamHi, 0u), (uint2)(seedLo, seedHi));
    const float4 u = convert_float4(r >> 8) * (1.0f / 16777216.0f); /* exact: 24-bit integers */
    if (e0 + 4 <= n) {
        /* Whole group of four: vector load/select/store, no per-element branches. */
        const float4 kept = vload4(j, in) * scale;
        vstore4(select(kept, (float4)(0.0f), u < p), j, out);
    } else {
        /* Ragged tail of the array (n not a multiple of 4). */
        out[e0] = u.s0 < p ? 0.0f : in[e0] * scale;
        if (e0 + 1 < n) out[e0 + 1] = u.s1 < p ? 0.0f : in[e0 + 1] * scale;
        if (e0 + 2 < n) out[e0 + 2] = u.s2 < p ? 0.0f : in[e0 + 2] * scale;
    }
}

/* out[e] = keep(offset + e) ? in[e] * scale : 0: a slice of a longer array's mask (split batches). */
__kernel void dropout_apply_at(__global const float* in, __global float* out, const float p, const float scale,
                               const uint seedLo, const uint seedHi, const uint streamLo, const uint streamHi,
                               const int offset, const int n) {
    const int e = get_global_id(0);
    if (e >= n) return;
    const uint g = (uint)offset + (uint)e;
    const uint4 r = philox4x32_10((uint4)(g >> 2, streamLo, streamHi, 0u), (uint2)(seedLo, seedHi));
    uint words[4];
    vstore4(r, 0, words);
    const float u = (float)(words[g & 3u] >> 8) * (1.0f / 16777216.0f);
    out[e] = u < p ? 0.0f : in[e] * scale;
}
