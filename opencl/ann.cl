/*
 * ann.cl - inverted-file (IVF) nearest-neighbour scan: blocks of up to RM query rows walk the
 * candidate rows of the lists they probe and each row keeps its k nearest (squared Euclidean
 * distance, ties by smaller id) within a bound. One kernel serves k-means (queries = sample,
 * one list = all centres, k = 1), cell probing (queries = centres, k = nprobe) and the IVF
 * search (queries = the points of one cell, lists = the cells that cell probes).
 *
 * Layouts:
 *   queries   float [nq][D] row-major; queryIds int [nq]: a candidate whose id equals the row's is
 *             skipped (a graph search excludes self; -1 skips nothing).
 *   blocks    blockRow0 / blockRows int [nblocks]: block b is rows [row0, row0 + rows), rows <= RM;
 *             blockProbes int [nblocks][nprobe] list numbers (< 0 = unused slot).
 *   lists     packed in panels of 32 candidates transposed: panels float [P][D][32] (as
 *             gemm_pack packs B, so 32 candidates per key load as two float16); panelNorms
 *             float [P][32] = |y|^2; panelIds int [P][32] (-1 = padding); list l owns panels
 *             [listPanel[l], listPanel[l + 1]).
 *   output    outIdx int [nq][k], outDist float [nq][k] ascending by (distance, id), -1 / INFINITY
 *             past outCount[row]. Only squared distances <= bound are kept.
 * Parameters (-D): D (default 128) = dimension; KMAX (64) = largest k. RM = 8 rows per work-item.
 * Launch: one work-item per block, work-groups of one item (like gemm_rb: PoCL vectorises the
 *   float16 arithmetic inside the item, not across items). Each output row has one writer.
 * Distance: the GEMM form s = (|x|^2 + |y|^2) - 2 x.y with x.y and |x|^2 summed in key order
 *   t = 0..D-1, clamped at 0, as the host twin (HostBlockScan.java) computes it. It rounds
 *   (about 1e-6 absolute for face descriptors of norm ~1); IvfKnn recomputes the kept ones exactly.
 */
#ifndef D
#define D 128
#endif
/* rows per work-item: fixed at 8 (the accumulators below are written out for eight rows) */
#define RM 8
#ifndef KMAX
#define KMAX 64
#endif
#define PW 32

/* Inserts (s, id) into the ascending top list td/ti of *m <= k entries. */
static inline void top_insert(float* td, int* ti, int* m, const int k, const float s, const int id) {
    if (*m == k && !(s < td[k - 1] || (s == td[k - 1] && id < ti[k - 1]))) return;
    int c = *m < k ? (*m)++ : k - 1;
    while (c > 0 && (s < td[c - 1] || (s == td[c - 1] && id < ti[c - 1]))) {
        td[c] = td[c - 1];
        ti[c] = ti[c - 1];
        c--;
    }
    td[c] = s;
    ti[c] = id;
}

__kernel void ivf_block_scan(__global const float* queries, __global const int* queryIds,
                             __global const int* blockRow0, __global const int* blockRows, const int nblocks,
                             __global const int* blockProbes, const int nprobe,
                             __global const float* panels, __global const float* panelNorms, __global const int* panelIds,
                             __global const int* listPanel, const int k, const float bound,
                             __global int* outIdx, __global float* outDist, __global int* outCount) {
    const int b = get_global_id(0);
    if (b >= nblocks) return;
    const int row0 = blockRow0[b];
    const int rows = blockRows[b];
    float td[RM][KMAX];
    int ti[RM][KMAX];
    int m[RM];
    int self[RM];
    float qn[RM];
    for (int r = 0; r < RM; r++) {
        m[r] = 0;
        self[r] = r < rows ? queryIds[row0 + r] : -2;
        const __global float* x = queries + (size_t)(row0 + min(r, rows - 1)) * D;
        float s = 0.0f;
        for (int t = 0; t < D; t++) s += x[t] * x[t];
        qn[r] = s;
    }
    for (int p = 0; p < nprobe; p++) {
        const int list = blockProbes[(size_t)b * nprobe + p];
        if (list < 0) continue;
        const int pEnd = listPanel[list + 1];
        for (int panel = listPanel[list]; panel < pEnd; panel++) {
            const __global float* y = panels + (size_t)panel * D * PW;
            /* eight rows x 32 candidates in 16 named float16 accumulators (an array indexed in a
               rolled loop would live in memory); rows past the block repeat its last row */
            const __global float* x0 = queries + (size_t)(row0 + min(0, rows - 1)) * D;
            const __global float* x1 = queries + (size_t)(row0 + min(1, rows - 1)) * D;
            const __global float* x2 = queries + (size_t)(row0 + min(2, rows - 1)) * D;
            const __global float* x3 = queries + (size_t)(row0 + min(3, rows - 1)) * D;
            const __global float* x4 = queries + (size_t)(row0 + min(4, rows - 1)) * D;
            const __global float* x5 = queries + (size_t)(row0 + min(5, rows - 1)) * D;
            const __global float* x6 = queries + (size_t)(row0 + min(6, rows - 1)) * D;
            const __global float* x7 = queries + (size_t)(row0 + min(7, rows - 1)) * D;
            float16 a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f, a4 = 0.0f, a5 = 0.0f, a6 = 0.0f, a7 = 0.0f;
            float16 b0 = 0.0f, b1 = 0.0f, b2 = 0.0f, b3 = 0.0f, b4 = 0.0f, b5 = 0.0f, b6 = 0.0f, b7 = 0.0f;
            for (int t = 0; t < D; t++) {
                const float16 y0 = vload16(2 * t, y);
                const float16 y1 = vload16(2 * t + 1, y);
                a0 = fma((float16)(x0[t]), y0, a0); b0 = fma((float16)(x0[t]), y1, b0);
                a1 = fma((float16)(x1[t]), y0, a1); b1 = fma((float16)(x1[t]), y1, b1);
                a2 = fma((float16)(x2[t]), y0, a2); b2 = fma((float16)(x2[t]), y1, b2);
                a3 = fma((float16)(x3[t]), y0, a3); b3 = fma((float16)(x3[t]), y1, b3);
                a4 = fma((float16)(x4[t]), y0, a4); b4 = fma((float16)(x4[t]), y1, b4);
                a5 = fma((float16)(x5[t]), y0, a5); b5 = fma((float16)(x5[t]), y1, b5);
                a6 = fma((float16)(x6[t]), y0, a6); b6 = fma((float16)(x6[t]), y1, b6);
                a7 = fma((float16)(x7[t]), y0, a7); b7 = fma((float16)(x7[t]), y1, b7);
            }
            float dots[RM][PW];
            vstore16(a0, 0, dots[0]); vstore16(b0, 1, dots[0]);
            vstore16(a1, 0, dots[1]); vstore16(b1, 1, dots[1]);
            vstore16(a2, 0, dots[2]); vstore16(b2, 1, dots[2]);
            vstore16(a3, 0, dots[3]); vstore16(b3, 1, dots[3]);
            vstore16(a4, 0, dots[4]); vstore16(b4, 1, dots[4]);
            vstore16(a5, 0, dots[5]); vstore16(b5, 1, dots[5]);
            vstore16(a6, 0, dots[6]); vstore16(b6, 1, dots[6]);
            vstore16(a7, 0, dots[7]); vstore16(b7, 1, dots[7]);
            const __global int* ids = panelIds + (size_t)panel * PW;
            const __global float* yn = panelNorms + (size_t)panel * PW;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < PW; c++) {
                    const int id = ids[c];
                    const float s = fmax((qn[r] + yn[c]) - 2.0f * dots[r][c], 0.0f);
                    if (id < 0 || id == self[r] || !(s <= bound)) continue;
                    top_insert(td[r], ti[r], &m[r], k, s, id);
                }
            }
        }
    }
    for (int r = 0; r < rows; r++) {
        const size_t o = (size_t)(row0 + r) * k;
        for (int j = 0; j < k; j++) {
            outIdx[o + j] = j < m[r] ? ti[r][j] : -1;
            outDist[o + j] = j < m[r] ? td[r][j] : INFINITY;
        }
        outCount[row0 + r] = m[r];
    }
}
