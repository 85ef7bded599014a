/*
 * elementwise.cl - element-wise arithmetic on flat float arrays.
 *
 * Kernels: axpy (y = a*x + y), add (z = x + y; residual connections), scale (x *= a).
 * Parameters: none (one work-item per element; launch with global size >= n).
 * Layout: flat arrays; every kernel guards i < n so the global size may be rounded up.
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
