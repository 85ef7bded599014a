/*
 * triplet.cl - triplet loss with semi-hard negative mining over one batch of embeddings
 * (FaceNet, Schroff et al. 2015): L = mean over anchor-positive pairs (a, p) of
 * max(||f(a) - f(p)||^2 - ||f(a) - f(n)||^2 + margin, 0), f = L2-normalised embedding.
 *
 * Layouts: raw and normalised embeddings float [N][D] row-major; labels int [N] (a label < 0
 *   marks a padding row: never an anchor, positive or negative); distances, negatives, pair
 *   losses and gradient weights are [N][N], indexed [anchor][positive] (or [row][other]).
 * Parameters (-D): REDUCE_LOCAL (power of two, default 64) = work-group size of triplet_stats.
 * One training step enqueues, in order: l2norm_fwd, pairwise_sqdist, triplet_mine,
 *   triplet_stats, triplet_weights, triplet_grad, l2norm_bwd. Nothing uses atomics: every
 *   output element is written by exactly one work-item, so results are deterministic.
 * Mining rule (as TensorFlow's triplet_semihard_loss): for each pair the negative is the closest
 *   one that is still farther than the positive (semi-hard; it contributes only when within the
 *   margin); when no negative is farther than the positive, the farthest negative (the easiest
 *   of the hard ones, so early training does not collapse onto the hardest). Ties go to the
 *   lowest row index. NaN distances (a diverged network) give the pair a NaN loss, never a
 *   silent 0, so the running sums reveal them.
 * Launch: l2norm_* one work-item per row; the [N][N] kernels a 2-D grid (i, j); triplet_grad a
 *   2-D grid (row, dim); triplet_stats exactly one work-group.
 */
#ifndef REDUCE_LOCAL
#define REDUCE_LOCAL 64
#endif

/* Added to the squared norm so an all-zero embedding normalises to zero instead of NaN. */
#define NORM_EPS 1e-12f

/* y = x / n with n = sqrt(|x|^2 + eps); norms[r] = n (kept for the backward pass). */
__kernel void l2norm_fwd(__global const float* x, __global float* y, __global float* norms, const int N, const int D) {
    const int r = get_global_id(0);
    if (r >= N) return;
    const __global float* row = x + (size_t)r * D;
    float s = 0.0f;
    for (int d = 0; d < D; d++) s += row[d] * row[d];
    const float n = sqrt(s + NORM_EPS);
    const float inv = 1.0f / n;
    __global float* out = y + (size_t)r * D;
    for (int d = 0; d < D; d++) out[d] = row[d] * inv;
    norms[r] = n;
}

/* dx = (dy - y (y . dy)) / n: the exact gradient of y = x / n, n including eps. */
__kernel void l2norm_bwd(__global const float* y, __global const float* norms, __global const float* dy,
                         __global float* dx, const int N, const int D) {
    const int r = get_global_id(0);
    if (r >= N) return;
    const __global float* yr = y + (size_t)r * D;
    const __global float* g = dy + (size_t)r * D;
    float dot = 0.0f;
    for (int d = 0; d < D; d++) dot += yr[d] * g[d];
    const float inv = 1.0f / norms[r];
    __global float* out = dx + (size_t)r * D;
    for (int d = 0; d < D; d++) out[d] = (g[d] - yr[d] * dot) * inv;
}

/* dist[i][j] = ||e_i - e_j||^2 from differences (exactly 0 on the diagonal, never negative). */
__kernel void pairwise_sqdist(__global const float* e, __global float* dist, const int N, const int D) {
    const int i = get_global_id(0), j = get_global_id(1);
    if (i >= N || j >= N) return;
    const __global float* a = e + (size_t)i * D;
    const __global float* b = e + (size_t)j * D;
    float s = 0.0f;
    for (int d = 0; d < D; d++) {
        const float t = a[d] - b[d];
        s += t * t;
    }
    dist[(size_t)i * N + j] = s;
}

/*
 * For anchor a and positive p (same label, a != p): negative[a][p] = the mined negative and
 * pairLoss[a][p] = max(d_ap - d_an + margin, 0). Not a pair, or no other class in the batch:
 * negative = -1 and loss 0 (such entries are not counted).
 */
__kernel void triplet_mine(__global const float* dist, __global const int* labels, __global int* negative,
                           __global float* pairLoss, const int N, const float margin) {
    const int a = get_global_id(0), p = get_global_id(1);
    if (a >= N || p >= N) return;
    const size_t at = (size_t)a * N + p;
    const int la = labels[a];
    if (a == p || la < 0 || labels[p] != la) {
        negative[at] = -1;
        pairLoss[at] = 0.0f;
        return;
    }
    const __global float* row = dist + (size_t)a * N;
    const float dap = row[p];
    int semi = -1, easy = -1, first = -1;
    float semiD = INFINITY, easyD = -INFINITY;
    for (int n = 0; n < N; n++) {
        const int ln = labels[n];
        if (ln < 0 || ln == la) continue;
        if (first < 0) first = n;
        const float dan = row[n];
        if (dan > dap) {
            if (dan < semiD) { semiD = dan; semi = n; }
        } else if (dan > easyD) {
            easyD = dan; easy = n;
        }
    }
    /* `first` only when every comparison failed, i.e. NaN distances: the pair then scores NaN */
    const int chosen = semi >= 0 ? semi : easy >= 0 ? easy : first;
    negative[at] = chosen;
    /* not fmax: it would turn a NaN distance into 0 and hide a diverged network */
    const float h = chosen >= 0 ? dap - row[chosen] + margin : 0.0f;
    pairLoss[at] = (h > 0.0f || isnan(h)) ? h : 0.0f;
}

/*
 * batch[0] = mean loss over counted pairs (0 when none), batch[1] = pairs counted, batch[2] =
 * active pairs (loss > 0). Running sums: acc[0] += mean loss, acc[1] += active fraction,
 * acc[2] += 1 (batches), acc[3] = `step` the first time the loss is not finite (starts at -1).
 * One work-group of REDUCE_LOCAL items.
 */
__kernel __attribute__((reqd_work_group_size(REDUCE_LOCAL, 1, 1)))
void triplet_stats(__global const int* negative, __global const float* pairLoss, __global float* batch,
                   __global float* acc, const int N, const int step) {
    __local float lossPart[REDUCE_LOCAL];
    __local float pairPart[REDUCE_LOCAL];
    __local float activePart[REDUCE_LOCAL];
    const int lid = get_local_id(0);
    const int total = N * N;
    float loss = 0.0f, pairs = 0.0f, active = 0.0f;
    for (int k = lid; k < total; k += REDUCE_LOCAL) {
        if (negative[k] < 0) continue;
        const float l = pairLoss[k];
        loss += l;
        pairs += 1.0f;
        active += l > 0.0f ? 1.0f : 0.0f;
    }
    lossPart[lid] = loss;
    pairPart[lid] = pairs;
    activePart[lid] = active;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int span = REDUCE_LOCAL / 2; span > 0; span >>= 1) {
        if (lid < span) {
            lossPart[lid] += lossPart[lid + span];
            pairPart[lid] += pairPart[lid + span];
            activePart[lid] += activePart[lid + span];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        const float count = pairPart[0];
        const float mean = count > 0.0f ? lossPart[0] / count : 0.0f;
        batch[0] = mean;
        batch[1] = count;
        batch[2] = activePart[0];
        acc[0] += mean;
        acc[1] += count > 0.0f ? activePart[0] / count : 0.0f;
        acc[2] += 1.0f;
        if (!isfinite(mean) && acc[3] < 0.0f) acc[3] = (float)step;
    }
}

/*
 * The gradient of the mean loss is dL/de_r = sum_j W[r][j] (e_r - e_j) with, per active
 * triplet (a, p, n) and c = 2 / pairs: W[a][p] += c, W[a][n] -= c, W[p][a] += c, W[n][a] -= c.
 * Each work-item (r, j) gathers its own entry from the mining result (no scatter, no atomics).
 */
__kernel void triplet_weights(__global const int* negative, __global const float* pairLoss,
                              __global const float* batch, __global float* weight, const int N) {
    const int r = get_global_id(0), j = get_global_id(1);
    if (r >= N || j >= N) return;
    const __global int* negR = negative + (size_t)r * N;
    const __global int* negJ = negative + (size_t)j * N;
    const __global float* lossR = pairLoss + (size_t)r * N;
    const __global float* lossJ = pairLoss + (size_t)j * N;
    float w = 0.0f;
    if (lossR[j] > 0.0f) w += 1.0f;            /* r anchor, j its positive */
    if (lossJ[r] > 0.0f) w += 1.0f;            /* r positive of anchor j */
    for (int p = 0; p < N; p++) {
        if (lossR[p] > 0.0f && negR[p] == j) w -= 1.0f;   /* r anchor, j its negative */
        if (lossJ[p] > 0.0f && negJ[p] == r) w -= 1.0f;   /* r negative of anchor j */
    }
    const float count = batch[1];
    weight[(size_t)r * N + j] = count > 0.0f ? w * (2.0f / count) : 0.0f;
}

/* de[r][d] = sum_j W[r][j] (e[r][d] - e[j][d]). */
__kernel void triplet_grad(__global const float* e, __global const float* weight, __global float* de,
                           const int N, const int D) {
    const int r = get_global_id(0), d = get_global_id(1);
    if (r >= N || d >= D) return;
    const __global float* w = weight + (size_t)r * N;
    const float er = e[(size_t)r * D + d];
    float s = 0.0f;
    for (int j = 0; j < N; j++) s += w[j] * (er - e[(size_t)j * D + d]);
    de[(size_t)r * D + d] = s;
}
