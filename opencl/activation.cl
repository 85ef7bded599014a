/*
 * activation.cl - element-wise activations, forward and backward.
 *
 * Kernels: relu, relu6 (clip to [0, 6]), leaky_relu (slope for x < 0), sigmoid, tanh, hard_sigmoid
 *   (slope alpha, beta 0.5), hard_swish; *_fwd writes y = f(x),
 *   *_bwd writes dx = dy * f'(.). ReLU-style backward reads the input x; sigmoid and tanh
 *   backward read the forward output y (f' is cheaper from y).
 * Twin: nn/ops/ActivationReference; test: ActivationTest (twin, finite differences).
 * Parameters (-D): none. Layout: any (flat arrays of n floats). One work-item per element,
 *   global size may be rounded up (guarded).
 */

__kernel void relu_fwd(__global const float* x, __global float* y, const int n) {
    const int i = get_global_id(0);
    if (i < n) y[i] = fmax(x[i], 0.0f);
}

__kernel void relu_bwd(__global const float* x, __global const float* dy, __global float* dx, const int n) {
    const int i = get_global_id(0);
    if (i < n) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}

/* relu6 (MobileNet): min(max(x, 0), 6); the gradient passes only strictly inside (0, 6). */
__kernel void relu6_fwd(__global const float* x, __global float* y, const int n) {
    const int i = get_global_id(0);
    if (i < n) y[i] = fmin(fmax(x[i], 0.0f), 6.0f);
}

__kernel void relu6_bwd(__global const float* x, __global const float* dy, __global float* dx, const int n) {
    const int i = get_global_id(0);
    if (i < n) { const float v = x[i]; dx[i] = (v > 0.0f && v < 6.0f) ? dy[i] : 0.0f; }
}

__kernel void leaky_relu_fwd(__global const float* x, __global float* y, const float slope, const int n) {
    const int i = get_global_id(0);
    if (i < n) { const float v = x[i]; y[i] = v > 0.0f ? v : slope * v; }
}

__kernel void leaky_relu_bwd(__global const float* x, __global const float* dy, __global float* dx,
                             const float slope, const int n) {
    const int i = get_global_id(0);
    if (i < n) dx[i] = x[i] > 0.0f ? dy[i] : slope * dy[i];
}

/* Stable for large |x|: exp only ever of a non-positive number. */
__kernel void sigmoid_fwd(__global const float* x, __global float* y, const int n) {
    const int i = get_global_id(0);
    if (i >= n) return;
    const float v = x[i];
    const float e = exp(-fabs(v));
    y[i] = v >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

__kernel void sigmoid_bwd(__global const float* y, __global const float* dy, __global float* dx, const int n) {
    const int i = get_global_id(0);
    if (i < n) { const float s = y[i]; dx[i] = dy[i] * s * (1.0f - s); }
}

__kernel void tanh_fwd(__global const float* x, __global float* y, const int n) {
    const int i = get_global_id(0);
    if (i < n) y[i] = tanh(x[i]);
}

__kernel void tanh_bwd(__global const float* y, __global const float* dy, __global float* dx, const int n) {
    const int i = get_global_id(0);
    if (i < n) { const float t = y[i]; dx[i] = dy[i] * (1.0f - t * t); }
}

/* hard_sigmoid (ONNX HardSigmoid, beta 0.5): clamp(alpha x + 0.5, 0, 1); alpha 1/6 is PyTorch's
 * Hardsigmoid, 0.2 ONNX's default. The gradient passes only strictly inside the ramp. */
__kernel void hard_sigmoid_fwd(__global const float* x, __global float* y, const float alpha, const int n) {
    const int i = get_global_id(0);
    if (i < n) y[i] = fmin(fmax(alpha * x[i] + 0.5f, 0.0f), 1.0f);
}

__kernel void hard_sigmoid_bwd(__global const float* x, __global const float* dy, __global float* dx,
                               const float alpha, const int n) {
    const int i = get_global_id(0);
    if (i < n) { const float t = alpha * x[i] + 0.5f; dx[i] = (t > 0.0f && t < 1.0f) ? alpha * dy[i] : 0.0f; }
}

/* hard_swish (MobileNetV3, ONNX HardSwish): x * clamp(x / 6 + 0.5, 0, 1). */
__kernel void hard_swish_fwd(__global const float* x, __global float* y, const int n) {
    const int i = get_global_id(0);
    if (i < n) { const float v = x[i]; y[i] = v * fmin(fmax(v / 6.0f + 0.5f, 0.0f), 1.0f); }
}

__kernel void hard_swish_bwd(__global const float* x, __global const float* dy, __global float* dx, const int n) {
    const int i = get_global_id(0);
    if (i < n) { const float v = x[i]; dx[i] = v <= -3.0f ? 0.0f : v >= 3.0f ? dy[i] : dy[i] * (v / 3.0f + 0.5f); }
}
