/*
 * augment.cl - image augmentation for training batches, fused into as few passes as possible
 * because these kernels are memory-bound: each output byte reads its source once.
 *
 * Kernels
 *   augment_warp   general pass: affine map (crop-resize, mirror, rotate, shear, scale, translate)
 *                  with bilinear sampling and a fill value outside the source, then per-channel
 *                  gain/bias (colour shift, PCA colour, brightness, contrast). One work-item per
 *                  output pixel. NDRange {outW, outH, N} rounded up; local e.g. {16, 4, 1}.
 *   augment_copy   the same pass when every image's map is pixel-aligned (flips and whole-pixel
 *                  crops/pads: A, E = +-1, B = D = 0, C, F whole): no interpolation. One work-item
 *                  per output byte so loads and stores are contiguous. NDRange {outW*CHANNELS, outH, N}.
 *   elastic_rows   elastic step 1: Gaussian-smooth hashed uniform noise along rows into tmp.
 *                  NDRange {W, H + 2*radius, N}.
 *   elastic_warp   elastic step 2: smooth tmp along columns -> displacement, bilinear resample.
 *                  NDRange {W, H, N}.
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
 *   tmp:    N x (H + 2*radius) x W x 2 floats (row-smoothed noise for dx, dy)
 *   keys:   one uint per image seeding its elastic noise
 * Results round to nearest even and saturate to 0..255. Contraction is off so the Java twins
 * (ReferenceAugmenter) compute the same floats in the same order.
 */
#pragma OPENCL FP_CONTRACT OFF

#ifndef CHANNELS
#define CHANNELS 3
#endif
#define P_SIZE 16
#define P_GAIN 6
#define P_BIAS 10
#define P_FILL 14
#define P_ALPHA 15

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
    const float x0 = floor(sx), y0 = floor(sy);
    const float fx = sx - x0, fy = sy - y0;
    const int ix = (int) x0, iy = (int) y0;
    const float top = fetch(img, w, h, ix, iy, c, fill) * (1.0f - fx) + fetch(img, w, h, ix + 1, iy, c, fill) * fx;
    const float bot = fetch(img, w, h, ix, iy + 1, c, fill) * (1.0f - fx) + fetch(img, w, h, ix + 1, iy + 1, c, fill) * fx;
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
        out[c] = convert_uchar_sat_rte(p[P_GAIN + c] * v + p[P_BIAS + c]);
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
    dst[((size_t) n * outH + y) * outW * CHANNELS + j] = convert_uchar_sat_rte(p[P_GAIN + c] * v + p[P_BIAS + c]);
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
inline float noise(const uint key, const int x, const int y, const int comp) {
    const uint h = mix32(key ^ mix32(((uint) x * 0x9E3779B1U) ^ mix32((uint) y * 0x85EBCA77U + (uint) comp)));
    return (float) (h >> 8) * (2.0f / 16777216.0f) - 1.0f;
}

__kernel void elastic_rows(__global float* tmp, const int w, const int h, const int radius,
                           __global const float* weights, __global const uint* keys, const int count) {
    const int x = get_global_id(0), row = get_global_id(1), n = get_global_id(2);
    const int rows = h + 2 * radius;
    if (x >= w || row >= rows || n >= count) return;
    const int y = row - radius;
    const uint key = keys[n];
    float dx = 0.0f, dy = 0.0f;
    for (int k = -radius; k <= radius; k++) {
        dx += weights[k + radius] * noise(key, x + k, y, 0);
        dy += weights[k + radius] * noise(key, x + k, y, 1);
    }
    __global float* t = tmp + (((size_t) n * rows + row) * w + x) * 2;
    t[0] = dx;
    t[1] = dy;
}

__kernel void elastic_warp(__global const uchar* src, __global uchar* dst, const int w, const int h,
                           const int radius, __global const float* weights, __global const float* tmp,
                           __global const float* params, const int count) {
    const int x = get_global_id(0), y = get_global_id(1), n = get_global_id(2);
    if (x >= w || y >= h || n >= count) return;
    const int rows = h + 2 * radius;
    __global const float* t = tmp + ((size_t) n * rows * w + x) * 2;
    float dx = 0.0f, dy = 0.0f;
    for (int k = -radius; k <= radius; k++) {
        const int row = y + k + radius;
        dx += weights[k + radius] * t[(size_t) row * w * 2];
        dy += weights[k + radius] * t[(size_t) row * w * 2 + 1];
    }
    __global const float* p = params + n * P_SIZE;
    const float sx = (float) x + p[P_ALPHA] * dx;
    const float sy = (float) y + p[P_ALPHA] * dy;
    __global const uchar* img = src + (size_t) n * w * h * CHANNELS;
    __global uchar* out = dst + ((size_t) n * h * w + (size_t) y * w + x) * CHANNELS;
    for (int c = 0; c < CHANNELS; c++) {
        out[c] = convert_uchar_sat_rte(bilinear(img, w, h, sx, sy, c, p[P_FILL]));
    }
}
