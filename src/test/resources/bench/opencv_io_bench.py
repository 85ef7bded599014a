#!/usr/bin/python3
"""Dev-only anchor for `clpipe bench io`: OpenCV's imdecode / imencode on the same files, same
budget, one thread (cv2.setNumThreads(1)) and two processes; and libspng's PNG decoder through
ctypes when libspng.so.0 is installed (Debian libspng0). Prints one JSON object.
Needs python3-opencv (Debian); never used in CI or at run time.
usage: opencv_io_bench.py PHOTOS_DIR SECONDS ENCODE_IMAGES"""
import json, os, sys, time
from multiprocessing import Pool
import cv2
import numpy as np

cv2.setNumThreads(1)
root, budget, encode_images = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])

def files(ext):
    paths = []  # sorted by path, as the Java side orders them
    for d, _, names in os.walk(root):
        paths += [os.path.join(d, n) for n in names if n.lower().endswith(ext)]
    return [open(p, 'rb').read() for p in sorted(paths)]

jpegs = files('.jpg')
decodable = [b for b in jpegs if cv2.imdecode(np.frombuffer(b, np.uint8), cv2.IMREAD_COLOR) is not None]

def decode_pass(blobs, flags=cv2.IMREAD_COLOR):
    px = 0
    for b in blobs:
        im = cv2.imdecode(np.frombuffer(b, np.uint8), flags)
        px += im.shape[0] * im.shape[1]
    return px

def timed(fn, *args):
    """passes, pixels (or bytes), wall seconds, CPU seconds of this process"""
    fn(*args)  # warm-up
    n, px, t0, c0 = 0, 0, time.perf_counter(), time.process_time()
    while True:
        px += fn(*args)
        n += 1
        el = time.perf_counter() - t0
        if el >= budget:
            return n, px, el, time.process_time() - c0

def rate(fn, count, *args):
    n, px, el, cpu = timed(fn, *args)
    return {"images_per_s": n * count / el, "mp_per_s": px / el / 1e6, "images_per_cpu_s": n * count / cpu}

def worker(_):
    return timed(decode_pass, decodable)

out = {"opencv": cv2.__version__, "jpegs": len(decodable)}
out["jpeg_decode_1_thread"] = rate(decode_pass, len(decodable), decodable)
with Pool(2) as pool:
    t0 = time.perf_counter()
    res = pool.map(worker, [0, 1])
    imgs = sum(r[0] for r in res) * len(decodable)
    px = sum(r[1] for r in res)
    el = max(r[2] for r in res)
    cpu = sum(r[3] for r in res)
    out["jpeg_decode_2_workers"] = {"images_per_s": imgs / el, "mp_per_s": px / el / 1e6, "images_per_cpu_s": imgs / cpu}
out["jpeg_decode_reduced_4"] = rate(decode_pass, len(decodable), decodable, cv2.IMREAD_REDUCED_COLOR_4)
out["jpeg_decode_reduced_8"] = rate(decode_pass, len(decodable), decodable, cv2.IMREAD_REDUCED_COLOR_8)
images = [cv2.imdecode(np.frombuffer(b, np.uint8), cv2.IMREAD_COLOR) for b in decodable[:encode_images]]
for level in (1, 3, 6):
    def enc(level=level):
        size = 0
        for im in images:
            ok, buf = cv2.imencode('.png', im, [cv2.IMWRITE_PNG_COMPRESSION, level])
            size += len(buf)
        return size
    n, size, el, cpu = timed(enc)
    out["png_encode_level_%d" % level] = {"images_per_s": n * len(images) / el, "images_per_cpu_s": n * len(images) / cpu,
                                          "mb_per_image": size / n / len(images) / 1e6}
os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # libpng warns on stderr about every odd iCCP chunk, once per decode
pngs = [b for b in files('.png') if cv2.imdecode(np.frombuffer(b, np.uint8), cv2.IMREAD_UNCHANGED) is not None]
if pngs:
    out["png_decode_1_thread"] = rate(decode_pass, len(pngs), pngs, cv2.IMREAD_UNCHANGED)
    try:
        import ctypes
        spng = ctypes.CDLL('libspng.so.0')
    except OSError:
        spng = None
    if spng is not None:
        spng.spng_ctx_new.restype = ctypes.c_void_p
        spng.spng_ctx_free.argtypes = [ctypes.c_void_p]
        spng.spng_set_png_buffer.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
        spng.spng_get_ihdr.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        spng.spng_decoded_image_size.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_size_t)]
        spng.spng_decode_image.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int]
        spng.spng_version_string.restype = ctypes.c_char_p
        SPNG_FMT_PNG = 256  # the file's own layout, as IMREAD_UNCHANGED and ImageIO keep it

        def spng_pass(blobs):
            px = 0
            for b in blobs:
                ctx = spng.spng_ctx_new(0)
                spng.spng_set_png_buffer(ctx, b, len(b))
                ihdr = (ctypes.c_uint32 * 4)()
                spng.spng_get_ihdr(ctx, ihdr)
                size = ctypes.c_size_t()
                spng.spng_decoded_image_size(ctx, SPNG_FMT_PNG, ctypes.byref(size))
                buf = ctypes.create_string_buffer(size.value)
                spng.spng_decode_image(ctx, buf, size.value, SPNG_FMT_PNG, 0)
                spng.spng_ctx_free(ctx)
                px += ihdr[0] * ihdr[1]
            return px
        out["libspng"] = spng.spng_version_string().decode()
        out["png_decode_libspng"] = rate(spng_pass, len(pngs), pngs)
print(json.dumps(out))
