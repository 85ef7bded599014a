/*
 * selftest.cl - the kernel `clpipe devices` runs to prove a device computes correctly.
 *
 * Kernels: saxpy (y = a*x + y). Parameters: none. Layout: flat float arrays, guarded by n.
 */

__kernel void saxpy(const float a, __global const float* x, __global float* y, const int n) {
    const int i = get_global_id(0);
    if (i < n) y[i] = a * x[i] + y[i];
}
