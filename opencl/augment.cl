/*
 * augment.cl - image augmentation for training batches, fused into as few passes as possible
 * because these kernels are memory-bound: each output byte reads its source once.
 *
 * Kernels (two variants of the fused pass; KernelVariant.java picks, AugmentKernels.java launches)
 *   augment_warp       SIMPLE general pass: affine map (crop-resize, mirror, rotate, shear, scale,
 *                      translate) with bilinear sampling and a fill value outside the source, then
 *                      per-channel gain/bias (colour shift, PCA colour, brightness, contrast). One
 *                      work-item per output pixel. NDRange {outW, outH, N} rounded up, local {16, 4, 1}.
 *   augment_copy       SIMPLE pass when every image's map is pixel-aligned (flips and whole-pixel
 *                      crops/pads: A, E = +-1, B = D = 0, C, F whole): no interpolation. One work-item
 *                      per output byte. NDRange {outW*CHANNELS, outH, N} rounded up, local {16, 4, 1}.
 *   augment_warp_rows  ROWS variant of augment_warp: one work-item per output row, 16 pixels per
 *                      step in float16 for RGB. NDRange {outH, N}, local {1, 1}.
 *   augment_copy_rows  ROWS variant of augment_copy: 16 RGB pixels per step as 3 x uchar16, mirrored
 *                      chunks reversed by constant swizzles, integer adds for whole colour shifts.
 *                      NDRange {outH, N}, local {1, 1}.
 *                      (On PoCL the ROWS kernels run 10-40x faster: per-pixel work-items pay
 *                      work-group overhead and PoCL does not vectorise across their gathers.)
 *   elastic_noise      elastic step 1: hashed uniform noise over the image plus a radius-wide border.
 *   elastic_rows       elastic step 2: Gaussian-smooth the noise along rows into tmp.
 *   elastic_warp       elastic step 3: smooth tmp along columns -> displacement, bilinear resample.
 *                      All three: one work-item per row, NDRange {rows, N}, local {1, 1}.
 * Every kernel guards its ids, so global sizes may be rounded up to the local size.
 *
 * Parameters (-D)
 *   CHANNELS   values per pixel, 1..4 (default 3)
 *
 * Layout
 *   images: uint8, N x H x W x CHANNELS interleaved (HWC), image after image.
 *   params: 16 floats per image (ParamLayout.java):
 *           [0..5]  A B C D E F: output pixel (x, y) samples source (A x + B y + C, D x + E y + F),
 *                   in source pixel indices (pixel centres at whole numbers)
 *           [6..9]  GAIN per channel   [10..13] BIAS per channel: value -> GAIN v + BIAS
 *           [14]    FILL value used for samples outside the source
 *           [15]    elastic ALPHA (pixels; 0 = no elastic warp for this image)
 *   noise:  N x (H + 2*radius) x (W + 2*radius) x 2 floats (uniform in [-1, 1) for dx, dy)
 *   tmp:    N x (H + 2*radius) x W x 2 floats (row-smoothed noise for dx, dy)
 *   keys:   one uint per image seeding its elastic noise
 * Results round to nearest even and saturate to 0..255. Contraction is off so the Java twins
 * (ReferenceAugmenter) compute the same floats in the same order.
 */
#pragma OPENCL FP_CONTRACT OFF

#ifndef CHANNELS
#define CHANNELS 3
#endif
/* One pixel as a vector (PIXF float, PIXU uchar) with its load and store, so a pixel's channels
   are interpolated together rather than one bilinear call per channel. */
#if CHANNELS == 1
#define PIXF float
#define LOAD_PIX(i, ptr) convert_float((ptr)[(i)])
#define LOAD_PARAMS(ptr) (*(ptr))
#define STORE_PIX(v, i, ptr) ((ptr)[(i)] = (v))
#define CONVERT_PIXU convert_uchar
#else
#define PIXF CAT(float, CHANNELS)
#define LOAD_PIX(i, ptr) CAT(convert_float, CHANNELS)(CAT(vload, CHANNELS)((i), (ptr)))
#define LOAD_PARAMS(ptr) CAT(vload, CHANNELS)(0, (ptr))
#define STORE_PIX(v, i, ptr) CAT(vstore, CHANNELS)((v), (i), (ptr))
#define CONVERT_PIXU CAT(convert_uchar, CHANNELS)
#endif
#define CAT(a, b) CAT_(a, b)
#define CAT_(a, b) a##b

#define P_SIZE 16
#define P_GAIN 6
#define P_BIAS 10
#define P_FILL 14
#define P_ALPHA 15

/*
 * Round half to even and saturate to 0..255, as convert_uchar_sat_rte would, but fast on PoCL
 * (its rint and _rte conversions are library calls that also block vectorisation): clamp, then
 * add and remove 1.5 * 2^23, which rounds to nearest even for |v| < 2^22.
 */
#define ROUND_MAGIC 12582912.0f
#define SATURATE(v) convert_uchar((clamp((v), 0.0f, 255.0f) + ROUND_MAGIC) - ROUND_MAGIC)
#define SATURATE_PIX(v) CONVERT_PIXU((clamp((v), 0.0f, 255.0f) + ROUND_MAGIC) - ROUND_MAGIC)
#define SATURATE16(v) convert_uchar16((clamp((v), 0.0f, 255.0f) + ROUND_MAGIC) - ROUND_MAGIC)

/* Channel c of source pixel (x, y), or the fill value outside the image. */
inline float fetch(__global const uchar* img, const int w, const int h, const int x, const int y,
                   const int c, const float fill) {
    return (x >= 0 && x < w && y >= 0 && y < h) ? (float) img[(y * w + x) * CHANNELS + c] : fill;
}

/* Bilinear sample of channel c at (sx, sy); far-outside points are clamped (they read fill anyway). */
inline float bilinear(__global const uchar* img, const int w, const int h, float sx, float sy,
                      const int c, const float fill) {
    sx = fmin(fmax(sx, -2.0f), (float) w + 1.0f);
    sy = fmin(fmax(sy, -2.0f), (float) h + 1.0f);
    /* floor by truncation and correction: the library floor is a call on PoCL. */
    int ix = (int) sx, iy = (int) sy;
    ix -= (float) ix > sx;
    iy -= (float) iy > sy;
    const float fx = sx - (float) ix, fy = sy - (float) iy;
    const float top = fetch(img, w, h, ix, iy, c, fill) * (1.0f - fx) + fetch(img, w, h, ix + 1, iy, c, fill) * fx;
    const float bot = fetch(img, w, h, ix, iy + 1, c, fill) * (1.0f - fx) + fetch(img, w, h, ix + 1, iy + 1, c, fill) * fx;
    return top * (1.0f - fy) + bot * fy;
}

/* Pixel (x, y) of an image as a vector, or fill in every channel outside it. */
inline PIXF fetch_pix(__global const uchar* img, const int w, const int h, const int x, const int y, const float fill) {
    return (x >= 0 && x < w && y >= 0 && y < h) ? LOAD_PIX(y * w + x, img) : (PIXF) (fill);
}

/* bilinear() for all channels at once: the same operations per channel, in the same order. */
inline PIXF bilinear_pix(__global const uchar* img, const int w, const int h, float sx, float sy, const float fill) {
    sx = fmin(fmax(sx, -2.0f), (float) w + 1.0f);
    sy = fmin(fmax(sy, -2.0f), (float) h + 1.0f);
    int ix = (int) sx, iy = (int) sy;
    ix -= (float) ix > sx;
    iy -= (float) iy > sy;
    const float fx = sx - (float) ix, fy = sy - (float) iy;
    PIXF v00, v01, v10, v11;
    if (ix >= 0 && ix + 1 < w && iy >= 0 && iy + 1 < h) { /* interior: no per-tap checks */
        const int at = iy * w + ix;
        v00 = LOAD_PIX(at, img);
        v01 = LOAD_PIX(at + 1, img);
        v10 = LOAD_PIX(at + w, img);
        v11 = LOAD_PIX(at + w + 1, img);
    } else {
        v00 = fetch_pix(img, w, h, ix, iy, fill);
        v01 = fetch_pix(img, w, h, ix + 1, iy, fill);
        v10 = fetch_pix(img, w, h, ix, iy + 1, fill);
        v11 = fetch_pix(img, w, h, ix + 1, iy + 1, fill);
    }
    const PIXF top = v00 * (1.0f - fx) + v01 * fx;
    const PIXF bot = v10 * (1.0f - fx) + v11 * fx;
    return top * (1.0f - fy) + bot * fy;
}

__kernel void augment_warp(__global const uchar* src, const int srcW, const int srcH,
                           __global uchar* dst, const int outW, const int outH,
                           __global const float* params, const int count) {
    const int x = get_global_id(0), y = get_global_id(1), n = get_global_id(2);
    if (x >= outW || y >= outH || n >= count) return;
    __global const float* p = params + n * P_SIZE;
    const float sx = p[0] * (float) x + p[1] * (float) y + p[2];
    const float sy = p[3] * (float) x + p[4] * (float) y + p[5];
    __global const uchar* img = src + (size_t) n * srcW * srcH * CHANNELS;
    __global uchar* out = dst + ((size_t) n * outH * outW + (size_t) y * outW + x) * CHANNELS;
    for (int c = 0; c < CHANNELS; c++) {
        const float v = bilinear(img, srcW, srcH, sx, sy, c, p[P_FILL]);
        out[c] = SATURATE(p[P_GAIN + c] * v + p[P_BIAS + c]);
    }
}

__kernel void augment_copy(__global const uchar* src, const int srcW, const int srcH,
                           __global uchar* dst, const int outW, const int outH,
                           __global const float* params, const int count) {
    const int j = get_global_id(0), y = get_global_id(1), n = get_global_id(2);
    if (j >= outW * CHANNELS || y >= outH || n >= count) return;
    __global const float* p = params + n * P_SIZE;
    const int x = j / CHANNELS;
    const int c = j - x * CHANNELS;
    const int sx = (int) p[0] * x + (int) p[2];
    const int sy = (int) p[4] * y + (int) p[5];
    const bool inside = sx >= 0 && sx < srcW && sy >= 0 && sy < srcH;
    const float v = inside ? (float) src[((size_t) n * srcH + sy) * srcW * CHANNELS + sx * CHANNELS + c] : p[P_FILL];
    dst[((size_t) n * outH + y) * outW * CHANNELS + j] = SATURATE(p[P_GAIN + c] * v + p[P_BIAS + c]);
}

/* Output pixel (x, y) of the general pass, all channels. */
inline void warp_pixel(__global const uchar* img, const int srcW, const int srcH, __global uchar* out,
                       const int x, const int y, __global const float* p, const PIXF gain, const PIXF bias) {
    const float sx = p[0] * (float) x + p[1] * (float) y + p[2];
    const float sy = p[3] * (float) x + p[4] * (float) y + p[5];
    const PIXF v = bilinear_pix(img, srcW, srcH, sx, sy, p[P_FILL]);
    STORE_PIX(SATURATE_PIX(gain * v + bias), x, out);
}

/*
 * augment_warp_rows: augment_warp with one work-item per output row (NDRange {outH, N}); PoCL runs
 * a row as a plain loop, far cheaper than one work-item per pixel for this gather-heavy pass.
 */
__kernel void augment_warp_rows(__global const uchar* src, const int srcW, const int srcH,
                                __global uchar* dst, const int outW, const int outH,
                                __global const float* params, const int count) {
    const int y = get_global_id(0), n = get_global_id(1);
    if (y >= outH || n >= count) return;
    __global const float* p = params + n * P_SIZE;
    __global const uchar* img = src + (size_t) n * srcW * srcH * CHANNELS;
    __global uchar* out = dst + ((size_t) n * outH + y) * outW * CHANNELS;
    const float fill = p[P_FILL];
    const PIXF gain = LOAD_PARAMS(p + P_GAIN), bias = LOAD_PARAMS(p + P_BIAS);
    int x = 0;
#if CHANNELS == 3
    /* 16 pixels at a time: coordinates and arithmetic in float16, taps gathered lane by lane.
       Chunks with any tap outside the source fall back to the per-pixel loop below. */
    const float16 lane = (float16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const float rowX = p[1] * (float) y, rowY = p[4] * (float) y;
    for (; x + 16 <= outW; x += 16) {
        const float16 xf = (float16)((float) x) + lane;
        float16 sx = (float16)(p[0]) * xf + (float16)(rowX) + (float16)(p[2]);
        float16 sy = (float16)(p[3]) * xf + (float16)(rowY) + (float16)(p[5]);
        sx = fmin(fmax(sx, -2.0f), (float) srcW + 1.0f);
        sy = fmin(fmax(sy, -2.0f), (float) srcH + 1.0f);
        int16 ix = convert_int16(sx), iy = convert_int16(sy); /* truncation, then -1 where that rounded up: floor */
        ix += convert_float16(ix) > sx;
        iy += convert_float16(iy) > sy;
        if (!all(ix >= 0 && ix + 1 < srcW && iy >= 0 && iy + 1 < srcH)) {
            for (int i = x; i < x + 16; i++) warp_pixel(img, srcW, srcH, out, i, y, p, gain, bias);
            continue;
        }
        const float16 fx = sx - convert_float16(ix), fy = sy - convert_float16(iy);
        const int16 at = (iy * srcW + ix) * 3;
        const int rowBytes = srcW * 3;
        float tap[12][16]; /* [tap * 3 + channel][lane]: taps 00, 01, 10, 11 */
        for (int i = 0; i < 16; i++) {
            __global const uchar* q = img + ((int*) &at)[i];
            for (int c = 0; c < 3; c++) {
                tap[c][i] = q[c];
                tap[3 + c][i] = q[3 + c];
                tap[6 + c][i] = q[rowBytes + c];
                tap[9 + c][i] = q[rowBytes + 3 + c];
            }
        }
        uchar res[3][16];
        for (int c = 0; c < 3; c++) {
            const float16 top = vload16(0, tap[c]) * (1.0f - fx) + vload16(0, tap[3 + c]) * fx;
            const float16 bot = vload16(0, tap[6 + c]) * (1.0f - fx) + vload16(0, tap[9 + c]) * fx;
            const float16 v = top * (1.0f - fy) + bot * fy;
            vstore16(SATURATE16((float16)(p[P_GAIN + c]) * v + (float16)(p[P_BIAS + c])), 0, res[c]);
        }
        __global uchar* o = out + x * 3;
        for (int i = 0; i < 16; i++) {
            o[3 * i] = res[0][i];
            o[3 * i + 1] = res[1][i];
            o[3 * i + 2] = res[2][i];
        }
    }
#endif
    for (; x < outW; x++) warp_pixel(img, srcW, srcH, out, x, y, p, gain, bias);
}

/* Channel value of one output byte through gain/bias; fill stands in for a source outside the image. */
#define COLOUR(v, c) SATURATE(p[P_GAIN + (c)] * (v) + p[P_BIAS + (c)])

/* One output pixel of a pixel-aligned map, one byte at a time (edges, tails, channel counts without a vector path). */
inline void copy_pixel(__global const uchar* row, const int srcW, const bool rowInside, const int sx,
                       __global uchar* out, __global const float* p) {
    const bool inside = rowInside && sx >= 0 && sx < srcW;
    for (int c = 0; c < CHANNELS; c++) {
        const float v = inside ? (float) row[sx * CHANNELS + c] : p[P_FILL];
        out[c] = COLOUR(v, c);
    }
}

/*
 * augment_copy_rows: augment_copy with one work-item per output row, 16 pixels per step with
 * explicit vectors (3 x uchar16 for RGB; mirrored chunks are reversed pixel-wise by shuffle2).
 * NDRange {outH, N}. Chunks that touch the padding, and the row's tail, go byte by byte.
 */
__kernel void augment_copy_rows(__global const uchar* src, const int srcW, const int srcH,
                                __global uchar* dst, const int outW, const int outH,
                                __global const float* params, const int count) {
    const int y = get_global_id(0), n = get_global_id(1);
    if (y >= outH || n >= count) return;
    __global const float* p = params + n * P_SIZE;
    const int ax = (int) p[0], cx = (int) p[2];
    const int sy = (int) p[4] * y + (int) p[5];
    const bool rowInside = sy >= 0 && sy < srcH;
    __global const uchar* row = src + ((size_t) n * srcH + (rowInside ? sy : 0)) * srcW * CHANNELS;
    __global uchar* out = dst + ((size_t) n * outH + y) * outW * CHANNELS;
    int x = 0;
#if CHANNELS == 3
    const float g0 = p[P_GAIN], g1 = p[P_GAIN + 1], g2 = p[P_GAIN + 2];
    const float b0 = p[P_BIAS], b1 = p[P_BIAS + 1], b2 = p[P_BIAS + 2];
    /* Byte k of a 48-byte chunk holds channel k % 3: three phase-shifted gain/bias patterns. */
    const float16 gA = (float16)(g0, g1, g2, g0, g1, g2, g0, g1, g2, g0, g1, g2, g0, g1, g2, g0);
    const float16 gB = (float16)(g1, g2, g0, g1, g2, g0, g1, g2, g0, g1, g2, g0, g1, g2, g0, g1);
    const float16 gC = (float16)(g2, g0, g1, g2, g0, g1, g2, g0, g1, g2, g0, g1, g2, g0, g1, g2);
    const float16 bA = (float16)(b0, b1, b2, b0, b1, b2, b0, b1, b2, b0, b1, b2, b0, b1, b2, b0);
    const float16 bB = (float16)(b1, b2, b0, b1, b2, b0, b1, b2, b0, b1, b2, b0, b1, b2, b0, b1);
    const float16 bC = (float16)(b2, b0, b1, b2, b0, b1, b2, b0, b1, b2, b0, b1, b2, b0, b1, b2);
    /* Unit gains and whole biases (mirror/crop/colour shift): v + bias in 16-bit integers, exactly what rounding would give. */
    const bool wholeShift = g0 == 1.0f && g1 == 1.0f && g2 == 1.0f && b0 == rint(b0) && b1 == rint(b1) && b2 == rint(b2);
    const short16 sA = convert_short16(bA), sB = convert_short16(bB), sC = convert_short16(bC);
    for (; x + 16 <= outW; x += 16) {
        const int first = ax > 0 ? cx + x : cx - x - 15; /* leftmost source pixel of the chunk */
        __global uchar* o = out + x * 3;
        if (!rowInside || first < 0 || first + 16 > srcW) {
            for (int i = 0; i < 16; i++) copy_pixel(row, srcW, rowInside, ax * (x + i) + cx, o + i * 3, p);
            continue;
        }
        __global const uchar* s = row + first * 3;
        const uchar16 l0 = vload16(0, s), l1 = vload16(0, s + 16), l2 = vload16(0, s + 32);
        uchar16 vA = l0, vB = l1, vC = l2;
        if (ax < 0) {
            /* Reverse the 16 pixels, keeping each pixel's RGB order: output byte k is source byte
               45 - 3*(k/3) + k%3. Constant swizzles, so the compiler emits byte permutes. */
            vA = (uchar16)(l2.sdef, l2.sabc, l2.s789, l2.s456, l2.s123, l1.se);
            vB = (uchar16)(l1.sf, l2.s0, l1.sbcd, l1.s89a, l1.s567, l1.s234, l0.sf, l1.s0);
            vC = (uchar16)(l1.s1, l0.scde, l0.s9ab, l0.s678, l0.s345, l0.s012);
        }
        if (wholeShift) {
            vstore16(convert_uchar16_sat(convert_short16(vA) + sA), 0, o);
            vstore16(convert_uchar16_sat(convert_short16(vB) + sB), 0, o + 16);
            vstore16(convert_uchar16_sat(convert_short16(vC) + sC), 0, o + 32);
        } else {
            vstore16(SATURATE16(convert_float16(vA) * gA + bA), 0, o);
            vstore16(SATURATE16(convert_float16(vB) * gB + bB), 0, o + 16);
            vstore16(SATURATE16(convert_float16(vC) * gC + bC), 0, o + 32);
        }
    }
#endif
    for (; x < outW; x++) copy_pixel(row, srcW, rowInside, ax * x + cx, out + x * CHANNELS, p);
}

/* A murmur3-style 32-bit finaliser (lowbias32): the elastic noise is a hash of (key, x, y, comp). */
inline uint mix32(uint h) {
    h ^= h >> 16;
    h *= 0x7feb352dU;
    h ^= h >> 15;
    h *= 0x846ca68bU;
    h ^= h >> 16;
    return h;
}

/* Uniform in [-1, 1): 24 hash bits, exact in float. */
inline float noise_at(const uint key, const int x, const int y, const int comp) {
    const uint h = mix32(key ^ mix32(((uint) x * 0x9E3779B1U) ^ mix32((uint) y * 0x85EBCA77U + (uint) comp)));
    return (float) (h >> 8) * (2.0f / 16777216.0f) - 1.0f;
}

/* Elastic step 1: the noise field over the image plus a radius-wide border, hashed once per value.
   noise: N x (h + 2r) x (w + 2r) x 2. One work-item per noise row: NDRange {h + 2r, N}. */
__kernel void elastic_noise(__global float* noise, const int w, const int h, const int radius,
                            __global const uint* keys, const int count) {
    const int row = get_global_id(0), n = get_global_id(1);
    const int rows = h + 2 * radius, cols = w + 2 * radius;
    if (row >= rows || n >= count) return;
    const uint key = keys[n];
    __global float* out = noise + ((size_t) n * rows + row) * cols * 2;
    for (int col = 0; col < cols; col++) {
        out[2 * col] = noise_at(key, col - radius, row - radius, 0);
        out[2 * col + 1] = noise_at(key, col - radius, row - radius, 1);
    }
}

/* Elastic step 2: smooth the noise along rows. tmp: N x (h + 2r) x w x 2. NDRange {h + 2r, N}. */
__kernel void elastic_rows(__global float* tmp, __global const float* noise, const int w, const int h,
                           const int radius, __global const float* weights, const int count) {
    const int row = get_global_id(0), n = get_global_id(1);
    const int rows = h + 2 * radius, cols = w + 2 * radius;
    if (row >= rows || n >= count) return;
    __global const float* in = noise + ((size_t) n * rows + row) * cols * 2;
    __global float* t = tmp + ((size_t) n * rows + row) * w * 2;
    for (int x = 0; x < w; x++) {
        float dx = 0.0f, dy = 0.0f;
        for (int k = -radius; k <= radius; k++) {
            dx += weights[k + radius] * in[2 * (x + k + radius)];
            dy += weights[k + radius] * in[2 * (x + k + radius) + 1];
        }
        t[2 * x] = dx;
        t[2 * x + 1] = dy;
    }
}

/* Elastic step 3: smooth tmp along columns into the displacement, then resample bilinearly.
   NDRange {h, N}, one work-item per output row. */
__kernel void elastic_warp(__global const uchar* src, __global uchar* dst, const int w, const int h,
                           const int radius, __global const float* weights, __global const float* tmp,
                           __global const float* params, const int count) {
    const int y = get_global_id(0), n = get_global_id(1);
    if (y >= h || n >= count) return;
    const int rows = h + 2 * radius;
    __global const float* p = params + n * P_SIZE;
    __global const uchar* img = src + (size_t) n * w * h * CHANNELS;
    __global uchar* out = dst + ((size_t) n * h + y) * w * CHANNELS;
    __global const float* t = tmp + (size_t) n * rows * w * 2;
    const float alpha = p[P_ALPHA], fill = p[P_FILL];
    for (int x = 0; x < w; x++) {
        float dx = 0.0f, dy = 0.0f;
        for (int k = -radius; k <= radius; k++) {
            const size_t at = ((size_t) (y + k + radius) * w + x) * 2;
            dx += weights[k + radius] * t[at];
            dy += weights[k + radius] * t[at + 1];
        }
        const float sx = (float) x + alpha * dx;
        const float sy = (float) y + alpha * dy;
        STORE_PIX(SATURATE_PIX(bilinear_pix(img, w, h, sx, sy, fill)), x, out);
    }
}
