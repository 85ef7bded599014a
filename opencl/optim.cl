/*
 * optim.cl - optimiser parameter updates on the device, PyTorch semantics (torch.optim).
 *
 * sgd_step: d = g + wd * p; with momentum: buf = first ? d : momentum * buf + (1 - dampening) * d,
 *   d = nesterov ? d + momentum * buf : buf; then p -= lr * d.
 * adam_step: coupled L2 (Adam): g += wd * p; decoupled (AdamW): p *= 1 - lr * wd;
 *   m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g^2;
 *   p -= stepSize * m / (sqrt(v) / bc2Sqrt + eps), stepSize = lr / (1 - b1^t), bc2Sqrt = sqrt(1 - b2^t)
 *   (bias corrections computed on the host in double).
 * Parameters (-D): none. Layout: flat parameter vectors of n floats; one work-item per element.
 */

__kernel void sgd_step(__global float* p, __global const float* g, __global float* buf,
                       const float lr, const float momentum, const float dampening, const float wd,
                       const int nesterov, const int first, const int n) {
    const int i = get_global_id(0);
    if (i >= n) return;
    float d = g[i];
    if (wd != 0.0f) d += wd * p[i];
    if (momentum != 0.0f) {
        const float b = first ? d : momentum * buf[i] + (1.0f - dampening) * d;
        buf[i] = b;
        d = nesterov ? d + momentum * b : b;
    }
    p[i] -= lr * d;
}

__kernel void adam_step(__global float* p, __global const float* g, __global float* m, __global float* v,
                        const float lr, const float beta1, const float beta2, const float eps, const float wd,
                        const int decoupled, const float stepSize, const float bc2Sqrt, const int n) {
    const int i = get_global_id(0);
    if (i >= n) return;
    float param = p[i];
    float grad = g[i];
    if (wd != 0.0f) {
        if (decoupled) param *= 1.0f - lr * wd;
        else grad += wd * param;
    }
    const float mi = beta1 * m[i] + (1.0f - beta1) * grad;
    const float vi = beta2 * v[i] + (1.0f - beta2) * grad * grad;
    m[i] = mi;
    v[i] = vi;
    p[i] = param - stepSize * mi / (sqrt(vi) / bc2Sqrt + eps);
}
