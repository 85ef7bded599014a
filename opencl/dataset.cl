/*
 * dataset.cl - batch assembly from a dataset kept on the device (DeviceDataset): uint8 images are
 * gathered in shuffled order and normalised into a float batch, labels alongside.
 *
 * Parameters (-D): none.
 * Layouts: images uint8 [count][pixels] (HWC per image), labels int32 [count], batches float32
 *   NHWC [N][pixels].
 * Launch: one work-item per batch element (global size may be rounded up; the index is guarded).
 */

/* x[r] = (images[order[first + r]] / 255 - mean) / std; rows past `valid` are zeros with label -1. */
__kernel void gather_batch(__global const uchar* images, __global const int* labels, __global const int* order,
                           __global float* x, __global int* y, const int first, const int valid,
                           const int pixels, const float mean, const float invStd, const int total) {
    const int i = get_global_id(0);
    if (i >= total) return;
    const int r = i / pixels, p = i - r * pixels;
    if (r >= valid) {
        x[i] = 0.0f;
        if (p == 0) y[r] = -1;
        return;
    }
    const int src = order[first + r];
    x[i] = ((float)images[(size_t)src * pixels + p] * (1.0f / 255.0f) - mean) * invStd;
    if (p == 0) y[r] = labels[src];
}

/* x[r] = rows[order[first + r]] (float features, `width` per row); rows past `valid` are zeros with label -1. */
__kernel void gather_rows(__global const float* rows, __global const int* labels, __global const int* order,
                          __global float* x, __global int* y, const int first, const int valid,
                          const int width, const int total) {
    const int i = get_global_id(0);
    if (i >= total) return;
    const int r = i / width, p = i - r * width;
    if (r >= valid) {
        x[i] = 0.0f;
        if (p == 0) y[r] = -1;
        return;
    }
    const int src = order[first + r];
    x[i] = rows[(size_t)src * width + p];
    if (p == 0) y[r] = labels[src];
}
