/*
 * vec16.h - guarded 16-float loads and stores for channel tails, shared by the kernel files that
 * #include it (gemm.cl, conv_rb.cl, conv_dw.cl, conv_sums.cl; KernelSource expands the include).
 * Java twin: none needed (helpers only); covered by every GemmTest/Conv2dTest shape with a ragged tail.
 */
#ifndef VEC16_H
#define VEC16_H
/* Reads floats src[0..n) into a float16, zero past n (n may be <= 0). */
inline float16 load16_guarded(const __global float* src, const int n) {
    if (n >= 16) return vload16(0, src);
    float v[16];
    for (int j = 0; j < 16; j++) v[j] = j < n ? src[j] : 0.0f;
    return vload16(0, v);
}

/* Writes the first n (< 16 allowed) lanes of value to dst. */
inline void store16_guarded(const float16 value, __global float* dst, const int n) {
    if (n >= 16) {
        vstore16(value, 0, dst);
        return;
    }
    float v[16];
    vstore16(value, 0, v);
    for (int j = 0; j < n; j++) dst[j] = v[j];
}
#endif
