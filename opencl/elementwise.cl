/*
 * elementwise.cl - element-wise arithmetic on flat float arrays.
 *
 * Kernels: axpy (y = a*x + y), add (z = x + y; residual connections), scale (x *= a),
 *   concat_channels / split_channels (Inception-style concatenation along C and its backward).
 * Parameters: none (one work-item per element; launch with global size >= n).
 * Layout: flat arrays; every kernel guards i < n so the global size may be rounded up.
 *   concat/split assume NCHW: a part [N, Cp, H, W] sits at channels [offset, offset + Cp) of the
 *   whole [N, Ctotal, H, W]; one launch per part on a 2-D grid (element of one sample's part,
 *   sample), so no work-item divides.
 */

__kernel void axpy(const float a, __global const float* x, __global float* y, const int n) {
    const int i = get_global_id(0);
    if (i < n) y[i] = a * x[i] + y[i];
}

__kernel void add(__global const float* x, __global const float* y, __global float* z, const int n) {
    const int i = get_global_id(0);
    if (i < n) z[i] = x[i] + y[i];
}

__kernel void scale(const float a, __global float* x, const int n) {
    const int i = get_global_id(0);
    if (i < n) x[i] *= a;
}

/* whole[n, offset + c, h, w] = part[n, c, h, w]; partPlane = Cp * H * W, wholePlane = Ctotal * H * W. */
__kernel void concat_channels(__global const float* part, __global float* whole, const int partPlane,
                              const int wholePlane, const int offsetElems, const int N) {
    const int k = get_global_id(0), b = get_global_id(1);
    if (k >= partPlane || b >= N) return;
    whole[(size_t)b * wholePlane + offsetElems + k] = part[(size_t)b * partPlane + k];
}

/* The inverse copy: part[n, c, h, w] = whole[n, offset + c, h, w] (backward of concat). */
__kernel void split_channels(__global const float* whole, __global float* part, const int partPlane,
                             const int wholePlane, const int offsetElems, const int N) {
    const int k = get_global_id(0), b = get_global_id(1);
    if (k >= partPlane || b >= N) return;
    part[(size_t)b * partPlane + k] = whole[(size_t)b * wholePlane + offsetElems + k];
}
