/*
 * allreduce.cl - the gradient all-reduce of data-parallel training, on a device.
 *
 * weighted_sum: out[i] = (float) (w0 * g0[i] + w1 * g1[i] + ... ) over the first `replicas` of four
 *   inputs (replicas 1..4), accumulated in double in replica order without fused multiply-adds:
 *   the same float, bit for bit, as nn.train.GradientAllReduce sums on the host. The inputs are the
 *   replicas' gradient buffers (one shared context); out is the calling replica's own buffer.
 *   Devices without cl_khr_fp64 get a float variant that clpipe does not launch (it keeps the
 *   host all-reduce there), so the file builds everywhere.
 * Parameters (-D): none. Layout: flat vectors of n floats; one work-item per element.
 */
#pragma OPENCL FP_CONTRACT OFF

#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#else
typedef float acc_t;
#endif

__kernel void weighted_sum(__global float* out, __global const float* g0, __global const float* g1,
                           __global const float* g2, __global const float* g3,
                           const acc_t w0, const acc_t w1, const acc_t w2, const acc_t w3,
                           const int replicas, const int n) {
    const int i = get_global_id(0);
    if (i >= n) return;
    acc_t acc = 0;
    acc += w0 * (acc_t) g0[i];
    if (replicas > 1) acc += w1 * (acc_t) g1[i];
    if (replicas > 2) acc += w2 * (acc_t) g2[i];
    if (replicas > 3) acc += w3 * (acc_t) g3[i];
    out[i] = (float) acc;
}
