/*
 * dataset.cl - batch assembly from a dataset kept on the device (DeviceDataset): uint8 images are
 * gathered in shuffled order and normalised into a float batch, labels alongside.
 *
 * Parameters (-D): none.
 * Layouts: images uint8 [count][pixels] (HWC per image), labels int32 [count], batches float32
 *   NHWC [N][pixels].
 * Launch: an exact grid (pixels, rows): each work-group copies part of one row, so items index the
 *   row without division, read consecutive bytes and the compiled form follows the row's width, not
 *   the batch.
 */

/* x[r] = (images[order[first + r]] / 255 - mean) / std; rows past `valid` are zeros with label -1. */
__kernel void gather_batch(__global const uchar* images, __global const int* labels, __global const int* order,
                           __global float* x, __global int* y, const int first, const int valid,
                           const int pixels, const float mean, const float invStd) {
    const int p = get_global_id(0), r = get_global_id(1);
    const size_t i = (size_t)r * pixels + p;
    if (r >= valid) {
        x[i] = 0.0f;
        if (p == 0) y[r] = -1;
        return;
    }
    const int src = order[first + r];
    x[i] = ((float)images[(size_t)src * pixels + p] * (1.0f / 255.0f) - mean) * invStd;
    if (p == 0) y[r] = labels[src];
}

/* gather_batch for widths that are a multiple of 16, 16 pixels per work-item: vector loads and stores. */
__kernel void gather_batch16(__global const uchar* images, __global const int* labels, __global const int* order,
                             __global float* x, __global int* y, const int first, const int valid,
                             const int pixels, const float mean, const float invStd) {
    const int q = get_global_id(0), r = get_global_id(1);
    __global float* out = x + (size_t)r * pixels + 16 * q;
    if (r >= valid) {
        vstore16((float16)(0.0f), 0, out);
        if (q == 0) y[r] = -1;
        return;
    }
    const int src = order[first + r];
    const float16 v = convert_float16(vload16(q, images + (size_t)src * pixels));
    vstore16((v * (1.0f / 255.0f) - mean) * invStd, 0, out);
    if (q == 0) y[r] = labels[src];
}

/* x[r] = rows[order[first + r]] (float features, `width` per row); rows past `valid` are zeros with label -1. */
__kernel void gather_rows(__global const float* rows, __global const int* labels, __global const int* order,
                          __global float* x, __global int* y, const int first, const int valid, const int width) {
    const int p = get_global_id(0), r = get_global_id(1);
    const size_t i = (size_t)r * width + p;
    if (r >= valid) {
        x[i] = 0.0f;
        if (p == 0) y[r] = -1;
        return;
    }
    const int src = order[first + r];
    x[i] = rows[(size_t)src * width + p];
    if (p == 0) y[r] = labels[src];
}
