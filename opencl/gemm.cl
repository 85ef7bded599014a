/*
 * gemm.cl - dense matrix multiply C = alpha * op(A) * op(B) + beta * C (+ bias[col]).
 *
 * Layout: row-major. op(A) is M x K (A stored M x K, or K x M when TRANS_A=1); op(B) is K x N
 * (B stored K x N, or N x K when TRANS_B=1); C is M x N. Dense layers use
 * forward X*W^T (TRANS_B), backward-data dY*W, backward-weights dY^T*X (TRANS_A).
 *
 * Two families, both guarded for any M, N, K (odd sizes included; no out-of-bounds access):
 *
 *  RegisterBlocked (CPU style; PoCL on x86 reaches ~85% of FMA peak):
 *    gemm_pack     one launch for both operands: copies op(B) into panels Bp[N/PW][K][PW],
 *                  zero-padded on the right, so the main kernel reads PW contiguous floats per k
 *                  with aligned vector loads; and op(A) into row blocks Ap[M/RM][K][RM] (zero
 *                  rows past M), so the RM values per k are contiguous whatever the transpose
 *                  (no 4K-aliased strides).
 *    gemm_rb       one work-item = RM rows x PW columns of C held in RM*NV float16
 *                  accumulators, every accumulator loop fully unrolled (a rolled loop spills
 *                  them and halves the speed). Launch: see gemm_rb
 *                  (one work-item per group: PoCL's implicit cross-item vectorisation does not
 *                  help here). Ragged rows are zero-padded by packing and skipped on store.
 *                  Ends with the direct kernels' epilogue (EPILOGUE_*).
 *    -D RM=8        rows per work-item
 *    -D NV=2        float16 vectors per row; panel width PW = 16*NV
 *    -D TRANS_A=0|1 -D TRANS_B=0|1 (pack kernel)
 *    -D KC=64       keys per packing work-item (a multiple of 16)
 *
 *  Direct (small shapes, one launch, no packing: the dense layers of small nets, where packing and
 *  per-launch overhead cost more than the multiply; routed by nn.ops.DirectGemm.suits):
 *    gemm_direct      op(B) not transposed (or TRANS_A and TRANS_B both, with gathers): one
 *                     work-item = DR rows x 16*DNV columns of C in float16 accumulators, reading
 *                     B row segments per k as vectors (PoCL's implicit vectorisation across
 *                     work-items, tried first, gave ~4.5 GFLOP/s: it left this loop scalar).
 *                     Work-items of the first column block also write rowSums[i] =
 *                     sum_k op(A)(i,k): a dense layer's bias gradient inside its weight-gradient
 *                     launch.
 *    gemm_direct_dot  TRANS_B, op(A) = A: C[i][j] = A row i . B row j, both contiguous along k, so
 *                     each work-item holds DDR x DDC float8 dot-product accumulators (no gathers).
 *                     Both direct kernels end with an epilogue (EPILOGUE_*): none, ReLU (a dense
 *                     layer's forward with the ReLU after it) or the ReLU's backward gate (the
 *                     next dense layer's dX), the floats relu_fwd / relu_bwd would give.
 *    -D DR=4        rows per gemm_direct work-item
 *    -D DNV=4       float16 column vectors per gemm_direct work-item (16 * DNV columns)
 *
 *  column_sums   dense-layer bias gradient db[j] = sum over rows of dY[r][j] (beside the
 *                  local-tiled product; the register-blocked kernels sum while they read dY).
 *
 *  LocalTiled (GPU style):
 *    gemm_tiled    work-group TS x TS, each work-item one C element; TS x TS tiles of A and B
 *                  staged in local memory with coalesced, zero-filled guarded loads. Takes
 *                  leading dimensions and offsets so convolution can run it per group.
 *    -D TS=16      tile edge (work-group is TS x TS)
 *
 * Java twin: dev.clpipe.nn.ops.GemmReference (run, rowSums); launchers: nn.ops.RegisterBlockedGemm,
 * nn.ops.DirectGemm, nn.ops.LocalTiledGemm (and LocalTiledConv2d); tests: GemmTest (packed, direct
 * and tiled paths, odd sizes, row sums), GemmGradientTest, TorchVectorsTest; bench rows: `clpipe
 * bench kernels` GEMM 1024 / 2048, gemm dense ... direct vs packed, gemm size rule ....
 */

#ifndef RM
#define RM 8
#endif
#ifndef NV
#define NV 2
#endif
#ifndef TRANS_A
#define TRANS_A 0
#endif
#ifndef TRANS_B
#define TRANS_B 0
#endif
#ifndef TS
#define TS 16
#endif
#define PW (16 * NV)
#ifndef KC
#define KC 64
#endif
#ifndef DR
#define DR 4
#endif
#ifndef DNV
#define DNV 4
#endif
#define DDR 4
#define DDC 4
/* Every multiply's epilogue after bias (DirectGemm.Epilogue): relu_fwd's fmax(v, 0), or relu_bwd's
 * gate[row][col] > 0 ? v : 0 with gate = the ReLU's output (a dense layer's dX masked for the ReLU before it). */
#define EPILOGUE_NONE 0
#define EPILOGUE_RELU 1
#define EPILOGUE_GATE 2

#include "vec16.h"

/* Panel packing: (panel, k-chunk of KC) writes Bp[panel][k][0..PW) = op(B), zero past N.
 * KC keys per work-item (not 16): PoCL pays ~1 us per work-group, more than a 16-key copy. */
inline void pack_b_panel(__global const float* B, __global float* Bp, const int N, const int K, const int panel, const int chunk) {
    const int kEnd = min(K, chunk * KC + KC);
    const int col0 = panel * PW;
    for (int k0 = chunk * KC; k0 < kEnd; k0 += 16) {
        const int kn = min(16, K - k0);
        __global float* dst = Bp + ((size_t)panel * K + k0) * PW;
#if TRANS_B
        /* B is N x K: each column of the panel is a contiguous run along k. */
        for (int c = 0; c < PW; c++) {
            float v[16];
            if (col0 + c < N) vstore16(load16_guarded(B + (size_t)(col0 + c) * K + k0, kn), 0, v);
            else vstore16((float16)(0.0f), 0, v);
            for (int j = 0; j < kn; j++) dst[j * PW + c] = v[j];
        }
#else
        for (int j = 0; j < kn; j++) {
            const __global float* src = B + (size_t)(k0 + j) * N + col0;
            __global float* d = dst + j * PW;
            if (col0 + PW <= N) {
#pragma unroll
                for (int v = 0; v < NV; v++) vstore16(vload16(v, src), v, d);
            } else {
                for (int c = 0; c < PW; c++) d[c] = (col0 + c < N) ? src[c] : 0.0f;
            }
        }
#endif
    }
}

/* Row-block packing: (block, k-chunk of KC) writes Ap[block][k][0..RM) = op(A)(block*RM + r, k),
 * zero for rows past M. With TRANS_A and sums not null, also adds each row's values to sums[r] in
 * k order (the order of column_sums, so the same floats when one work-item takes every chunk). */
inline void pack_a_block(__global const float* A, __global float* Ap, const int M, const int K, const int block, const int chunk,
                         float* sums) {
    const int kEnd = min(K, chunk * KC + KC);
    const int row0 = block * RM;
    for (int k0 = chunk * KC; k0 < kEnd; k0 += 16) {
        const int kn = min(16, K - k0);
        __global float* dst = Ap + ((size_t)block * K + k0) * RM;
#if TRANS_A
        for (int j = 0; j < kn; j++) {
            const __global float* src = A + (size_t)(k0 + j) * M + row0;
#pragma unroll
            for (int r = 0; r < RM; r++) {
                const float v = row0 + r < M ? src[r] : 0.0f;
                dst[j * RM + r] = v;
                if (sums) sums[r] += v;
            }
        }
#else
        if (kn == 16 && row0 + RM <= M) {
            /* Transpose a RM x 16 tile in registers and write it as RM whole vectors: scalar
             * stores with stride RM made this kernel cost a tenth of the multiply. */
            float16 v[RM];
#pragma unroll
            for (int r = 0; r < RM; r++) v[r] = vload16(0, A + (size_t)(row0 + r) * K + k0);
            float t[16 * RM];
#pragma unroll
            for (int r = 0; r < RM; r++) {
                float vals[16];
                vstore16(v[r], 0, vals);
#pragma unroll
                for (int j = 0; j < 16; j++) t[j * RM + r] = vals[j];
            }
#pragma unroll
            for (int i = 0; i < RM; i++) vstore16(vload16(i, t), i, dst);
        } else {
            for (int r = 0; r < RM; r++) {
                const int row = row0 + r;
                for (int j = 0; j < kn; j++) dst[j * RM + r] = row < M ? A[(size_t)row * K + k0 + j] : 0.0f;
            }
        }
#endif
    }
}

/* Both packings in one launch (a launch costs the host more than a small packing): work-items
 * [0, panels) pack op(B)'s panels, the rest op(A)'s row blocks. withSums (TRANS_A only): also
 * rowSums[i] = sum_k op(A)(i, k), a dense layer's bias gradient beside its weight gradient; the
 * chunk-0 item of each row block then packs every chunk of it, so each sum has one writer.
 * Launch: global {panels + ceil(M/RM), ceil(K/KC)}, local {1,1}. */
__kernel void gemm_pack(__global const float* A, __global float* Ap, const int M,
                        __global const float* B, __global float* Bp, const int N, const int K, const int panels,
                        __global float* rowSums, const int withSums) {
    const int id = get_global_id(0), chunk = get_global_id(1);
    if (id < panels) {
        pack_b_panel(B, Bp, N, K, id, chunk);
        return;
    }
    const int block = id - panels;
#if TRANS_A
    if (withSums) {
        if (chunk != 0) return;
        float sums[RM];
#pragma unroll
        for (int r = 0; r < RM; r++) sums[r] = 0.0f;
        for (int c = 0; c * KC < K; c++) pack_a_block(A, Ap, M, K, block, c, sums);
        for (int r = 0; r < RM && block * RM + r < M; r++) rowSums[block * RM + r] = sums[r];
        return;
    }
#endif
    pack_a_block(A, Ap, M, K, block, chunk, 0);
}

/*
 * Launch: global {groupBlocks, panels, ceil(blocks/groupBlocks)}, local {1,1,1}. Work-groups run in
 * id order, so a group of groupBlocks row blocks (sized to stay in L2) is reused across every B
 * panel, and each B panel across the group, instead of streaming all of A once per panel.
 */
__kernel void gemm_rb(const int M, const int N, const int K, const float alpha, const float beta,
                      __global const float* Ap, __global const float* Bp, __global float* C,
                      __global const float* bias, const int hasBias, const int groupBlocks,
                      __global const float* gate, const int epilogue) {
    const int block = get_global_id(2) * groupBlocks + get_global_id(0);
    const int panel = get_global_id(1);
    if (block * RM >= M) return;
    const int row0 = block * RM;

    float16 acc[RM][NV];
#pragma unroll
    for (int r = 0; r < RM; r++) {
#pragma unroll
        for (int v = 0; v < NV; v++) acc[r][v] = (float16)(0.0f);
    }
    const __global float16* bp = (const __global float16*)(Bp + (size_t)panel * K * PW);
    const __global float* ap = Ap + (size_t)block * K * RM;
    for (int k = 0; k < K; k++) {
        float16 b[NV];
#pragma unroll
        for (int v = 0; v < NV; v++) b[v] = bp[k * NV + v];
#pragma unroll
        for (int r = 0; r < RM; r++) {
            const float a = ap[k * RM + r];
#pragma unroll
            for (int v = 0; v < NV; v++) acc[r][v] = fma((float16)(a), b[v], acc[r][v]);
        }
    }

    const int col0 = panel * PW;
    const int full = col0 + PW <= N;
#pragma unroll
    for (int r = 0; r < RM; r++) {
        if (row0 + r >= M) break;
        __global float* c = C + (size_t)(row0 + r) * N + col0;
#pragma unroll
        for (int v = 0; v < NV; v++) {
            if (full) {
                float16 out = alpha * acc[r][v];
                if (beta != 0.0f) out += beta * vload16(v, c);
                if (hasBias) out += vload16(v, bias + col0);
                if (epilogue == EPILOGUE_RELU) out = fmax(out, (float16)(0.0f));
                else if (epilogue == EPILOGUE_GATE)
                    out = select((float16)(0.0f), out, isgreater(vload16(v, gate + (size_t)(row0 + r) * N + col0), (float16)(0.0f)));
                vstore16(out, v, c);
            } else {
                float vals[16];
                vstore16(acc[r][v], 0, vals);
                for (int e = 0; e < 16; e++) {
                    const int col = col0 + v * 16 + e;
                    if (col >= N) break;
                    float out = alpha * vals[e];
                    if (beta != 0.0f) out += beta * c[v * 16 + e];
                    if (hasBias) out += bias[col];
                    if (epilogue == EPILOGUE_RELU) out = fmax(out, 0.0f);
                    else if (epilogue == EPILOGUE_GATE) out = gate[(size_t)(row0 + r) * N + col] > 0.0f ? out : 0.0f;
                    c[v * 16 + e] = out;
                }
            }
        }
    }
}

/*
 * LocalTiled: C[offC + i*ldc + j] = alpha * sum_k opA(i,k) opB(k,j) + beta * C (+ bias[offBias + j]).
 * transA/transB are runtime flags (this family targets GPUs, where the branch is uniform).
 * Launch: global {ceil(N/TS)*TS, ceil(M/TS)*TS}, local {TS, TS}.
 */
__kernel void gemm_tiled(const int M, const int N, const int K, const float alpha, const float beta,
                         __global const float* A, const int offA, const int lda, const int transA,
                         __global const float* B, const int offB, const int ldb, const int transB,
                         __global float* C, const int offC, const int ldc,
                         __global const float* bias, const int offBias, const int hasBias) {
    __local float tileA[TS][TS + 1];
    __local float tileB[TS][TS + 1];
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int col = get_group_id(0) * TS + tx;
    const int row = get_group_id(1) * TS + ty;
    float acc = 0.0f;
    for (int k0 = 0; k0 < K; k0 += TS) {
        /* tileA[ty][tx] = opA(row, k0+tx); tileB[ty][tx] = opB(k0+ty, col) */
        const int ka = k0 + tx, kb = k0 + ty;
        float a = 0.0f, b = 0.0f;
        if (row < M && ka < K) a = transA ? A[offA + (size_t)ka * lda + row] : A[offA + (size_t)row * lda + ka];
        if (col < N && kb < K) b = transB ? B[offB + (size_t)col * ldb + kb] : B[offB + (size_t)kb * ldb + col];
        tileA[ty][tx] = a;
        tileB[ty][tx] = b;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TS; k++) acc = fma(tileA[ty][k], tileB[k][tx], acc);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < M && col < N) {
        __global float* c = C + offC + (size_t)row * ldc + col;
        float out = alpha * acc;
        if (beta != 0.0f) out += beta * *c;
        if (hasBias) out += bias[offBias + col];
        *c = out;
    }
}

/* db[j] = sum over rows of dy[r][j] (dense bias gradient); one work-item per column. */
__kernel void column_sums(__global const float* dy, __global float* db, const int rows, const int cols) {
    const int j = get_global_id(0);
    if (j >= cols) return;
    float s = 0.0f;
    for (int r = 0; r < rows; r++) s += dy[(size_t)r * cols + j];
    db[j] = s;
}

/*
 * Direct GEMM for small shapes (see the header). C = alpha * op(A) * op(B) + beta * C (+ bias[col]);
 * when hasRowSums, the work-items of the first column block also write rowSums[i] = sum_k op(A)(i,k)
 * (unscaled, overwritten). One work-item = DR rows x 16*DNV columns in float16 accumulators.
 * Launch: global {ceil(N/(16*DNV)), ceil(M/DR)}, local {1, 1}. Rows past M are read clamped (in bounds)
 * and not stored; columns past N are read as zero and not stored.
 */
/* One k step of gemm_direct: the DR values op(A)(row, k) times the row segment b of op(B), into acc
 * (and into the row sums on the first column block). */
#if TRANS_A
#define DIRECT_A(row, k) A[(size_t)(k) * M + (row)]
#else
#define DIRECT_A(row, k) A[(size_t)(row) * K + (k)]
#endif
#define DIRECT_ROWS_STEP                                                                 \
    {                                                                                    \
        float a[DR];                                                                     \
        _Pragma("unroll") for (int r = 0; r < DR; r++) {                                 \
            a[r] = DIRECT_A(rows[r], k);                                                 \
            _Pragma("unroll") for (int v = 0; v < DNV; v++) acc[r][v] = fma((float16)(a[r]), b[v], acc[r][v]); \
        }                                                                                \
        if (withSums) {                                                                  \
            _Pragma("unroll") for (int r = 0; r < DR; r++) sums[r] += a[r];             \
        }                                                                                \
    }

__kernel void gemm_direct(const int M, const int N, const int K, const float alpha, const float beta,
                          __global const float* A, __global const float* B, __global float* C,
                          __global const float* bias, const int hasBias,
                          __global float* rowSums, const int hasRowSums,
                          __global const float* gate, const int epilogue) {
    const int col0 = get_global_id(0) * (16 * DNV);
    const int row0 = get_global_id(1) * DR;
    if (col0 >= N || row0 >= M) return;
    const int withSums = hasRowSums && col0 == 0;
    int rows[DR];
    float16 acc[DR][DNV];
    float sums[DR];
#pragma unroll
    for (int r = 0; r < DR; r++) {
        rows[r] = min(row0 + r, M - 1);
#pragma unroll
        for (int v = 0; v < DNV; v++) acc[r][v] = (float16)(0.0f);
        sums[r] = 0.0f;
    }
    /* Whole column blocks read B with plain vector loads; only the last, ragged one pays for guards. */
    if (col0 + 16 * DNV <= N) {
        for (int k = 0; k < K; k++) {
            float16 b[DNV];
#pragma unroll
            for (int v = 0; v < DNV; v++) {
#if TRANS_B
                float bv[16];
                for (int c = 0; c < 16; c++) bv[c] = B[(size_t)(col0 + 16 * v + c) * K + k];
                b[v] = vload16(0, bv);
#else
                b[v] = vload16(0, B + (size_t)k * N + col0 + 16 * v);
#endif
            }
            DIRECT_ROWS_STEP
        }
    } else {
        for (int k = 0; k < K; k++) {
            float16 b[DNV];
#pragma unroll
            for (int v = 0; v < DNV; v++) {
                const int c0 = col0 + 16 * v, nc = N - c0;
#if TRANS_B
                float bv[16];
                for (int c = 0; c < 16; c++) bv[c] = c < nc ? B[(size_t)(c0 + c) * K + k] : 0.0f;
                b[v] = vload16(0, bv);
#else
                b[v] = load16_guarded(B + (size_t)k * N + c0, nc);
#endif
            }
            DIRECT_ROWS_STEP
        }
    }
#pragma unroll
    for (int r = 0; r < DR; r++) {
        const int row = row0 + r;
        if (row >= M) break;
#pragma unroll
        for (int v = 0; v < DNV; v++) {
            const int c0 = col0 + 16 * v, nc = N - c0;
            if (nc <= 0) break;
            __global float* c = C + (size_t)row * N + c0;
            float16 out = alpha * acc[r][v];
            if (beta != 0.0f) out += beta * load16_guarded(c, nc);
            if (hasBias) out += load16_guarded(bias + c0, nc);
            if (epilogue == EPILOGUE_RELU) out = fmax(out, (float16)(0.0f));
            else if (epilogue == EPILOGUE_GATE)
                out = select((float16)(0.0f), out, isgreater(load16_guarded(gate + (size_t)row * N + c0, nc), (float16)(0.0f)));
            store16_guarded(out, c, nc);
        }
        if (withSums) rowSums[row] = sums[r];
    }
}

inline float hsum8(const float8 v) {
    const float4 h = v.lo + v.hi;
    const float2 q = h.lo + h.hi;
    return q.x + q.y;
}

/*
 * Direct GEMM, TRANS_B with op(A) = A: every C element is a dot product of two rows contiguous
 * along k. One work-item = DDR rows x DDC columns; rows and columns past M, N are clamped on read
 * and skipped on store. Launch: global {ceil(N/DDC), ceil(M/DDR)}, local {1, 1} or a small group.
 */
__kernel void gemm_direct_dot(const int M, const int N, const int K, const float alpha, const float beta,
                              __global const float* A, __global const float* B, __global float* C,
                              __global const float* bias, const int hasBias,
                              __global const float* gate, const int epilogue) {
    const int col0 = get_global_id(0) * DDC;
    const int row0 = get_global_id(1) * DDR;
    if (col0 >= N || row0 >= M) return;
    const __global float* a[DDR];
    const __global float* b[DDC];
#pragma unroll
    for (int r = 0; r < DDR; r++) a[r] = A + (size_t)min(row0 + r, M - 1) * K;
#pragma unroll
    for (int c = 0; c < DDC; c++) b[c] = B + (size_t)min(col0 + c, N - 1) * K;
    float8 acc[DDR][DDC];
#pragma unroll
    for (int r = 0; r < DDR; r++) {
#pragma unroll
        for (int c = 0; c < DDC; c++) acc[r][c] = (float8)(0.0f);
    }
    int k = 0;
    for (; k + 8 <= K; k += 8) {
        float8 av[DDR], bv[DDC];
#pragma unroll
        for (int r = 0; r < DDR; r++) av[r] = vload8(0, a[r] + k);
#pragma unroll
        for (int c = 0; c < DDC; c++) bv[c] = vload8(0, b[c] + k);
#pragma unroll
        for (int r = 0; r < DDR; r++) {
#pragma unroll
            for (int c = 0; c < DDC; c++) acc[r][c] = fma(av[r], bv[c], acc[r][c]);
        }
    }
    float s[DDR][DDC];
#pragma unroll
    for (int r = 0; r < DDR; r++) {
#pragma unroll
        for (int c = 0; c < DDC; c++) s[r][c] = hsum8(acc[r][c]);
    }
    for (; k < K; k++) {
#pragma unroll
        for (int r = 0; r < DDR; r++) {
            const float av = a[r][k];
#pragma unroll
            for (int c = 0; c < DDC; c++) s[r][c] = fma(av, b[c][k], s[r][c]);
        }
    }
#pragma unroll
    for (int r = 0; r < DDR; r++) {
        const int row = row0 + r;
        if (row >= M) break;
#pragma unroll
        for (int c = 0; c < DDC; c++) {
            const int col = col0 + c;
            if (col >= N) break;
            __global float* out = C + (size_t)row * N + col;
            float v = alpha * s[r][c];
            if (beta != 0.0f) v += beta * *out;
            if (hasBias) v += bias[col];
            if (epilogue == EPILOGUE_RELU) v = fmax(v, 0.0f);
            else if (epilogue == EPILOGUE_GATE) v = gate[(size_t)row * N + col] > 0.0f ? v : 0.0f;
            *out = v;
        }
    }
}
