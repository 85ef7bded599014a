#!/usr/bin/env python3
"""Writes golden_eval.json for DetectionEvaluatorGoldenTest (development only; numpy needed).

pycocotools cannot be installed on the build machines (not packaged in Debian, PyPI not
reachable), so the COCO numbers come from a line-by-line transliteration of pycocotools 2.0
COCOeval.evaluateImg + accumulate (bbox, areaRng "all", maxDets 100), and the VOC numbers from
py-faster-rcnn's voc_eval (use_07_metric=False). Ground-truth boxes within an image never overlap,
so the two matching rules agree (see docs/detection.md). Some images hold a crowd region
(COCO iscrowd: ignored, overlap = intersection / detection area); voc_eval has no crowds, so
there it acts as a 'difficult' object measured by that same overlap. Regenerate:
    python3 src/test/resources/detect/make_golden_eval.py > src/test/resources/detect/golden_eval.json
"""
import json
import numpy as np

rng = np.random.default_rng(20261125)
LABELS = ["cat", "dog", "person"]


def crowd_iou(d, g):  # pycocotools iou(..., iscrowd=1): intersection over the detection's area
    iw = min(d[2], g[2]) - max(d[0], g[0])
    ih = min(d[3], g[3]) - max(d[1], g[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    return iw * ih / ((d[2] - d[0]) * (d[3] - d[1]))


def iou(d, g):  # [x1, y1, x2, y2], continuous coordinates (pycocotools bbox IoU, no +1)
    iw = min(d[2], g[2]) - max(d[0], g[0])
    ih = min(d[3], g[3]) - max(d[1], g[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    return inter / ((d[2] - d[0]) * (d[3] - d[1]) + (g[2] - g[0]) * (g[3] - g[1]) - inter)


images = []
for im in range(10):
    gts, dets = [], []
    cells = rng.permutation(16)
    if im % 3 == 0:  # a crowd region in a cell of its own, with detections inside it
        cx, cy = (cells[15] % 4) * 100, (cells[15] // 4) * 100
        lab = LABELS[rng.integers(0, 3)]
        gts.append([lab, float(cx + 5), float(cy + 5), float(cx + 95), float(cy + 95), 1])
        for _ in range(rng.integers(1, 4)):
            x1, y1 = cx + rng.uniform(5, 60), cy + rng.uniform(5, 60)
            dets.append([lab, round(float(rng.uniform(0.05, 1)), 2), x1, y1, x1 + 30, y1 + 30])
    for cell in cells[: rng.integers(1, 8)]:  # disjoint 100x100 cells of a 400x400 image
        cx, cy = (cell % 4) * 100, (cell // 4) * 100
        x1, y1 = cx + rng.uniform(0, 30), cy + rng.uniform(0, 30)
        g = [x1, y1, x1 + rng.uniform(30, 70), y1 + rng.uniform(30, 70)]
        lab = LABELS[rng.integers(0, 3)]
        gts.append([lab] + g + [0])
        for _ in range(rng.integers(0, 4)):  # 0-3 jittered detections of it, sometimes the wrong class
            j = rng.normal(0, 4, 4)
            d = [g[0] + j[0], g[1] + j[1], max(g[0] + j[0] + 1, g[2] + j[2]), max(g[1] + j[1] + 1, g[3] + j[3])]
            dl = lab if rng.uniform() < 0.85 else LABELS[rng.integers(0, 3)]
            dets.append([dl, round(float(rng.uniform(0.05, 1)), 2)] + d)  # 2 decimals: many ties
    for _ in range(rng.integers(0, 4)):  # false positives anywhere
        x1, y1 = rng.uniform(0, 350), rng.uniform(0, 350)
        dets.append([LABELS[rng.integers(0, 3)], round(float(rng.uniform(0.05, 1)), 2), x1, y1,
                     x1 + rng.uniform(10, 50), y1 + rng.uniform(10, 50)])
    images.append({"name": "img%d" % im, "gt": gts, "dets": dets})

# ---- pycocotools evaluateImg + accumulate, transliterated ----
iouThrs = np.linspace(.5, 0.95, int(np.round((0.95 - .5) / .05)) + 1, endpoint=True)
recThrs = np.linspace(.0, 1.00, int(np.round((1.00 - .0) / .01)) + 1, endpoint=True)
maxDet = 100


def evaluate_img(image, lab):
    gt = [g[1:] for g in image["gt"] if g[0] == lab]  # [x1, y1, x2, y2, iscrowd]
    dt = [d for d in image["dets"] if d[0] == lab]
    if len(gt) == 0 and len(dt) == 0:
        return None
    gtIg = np.array([g[4] for g in gt], dtype=float)
    gtind = np.argsort(gtIg, kind='mergesort')
    gt = [gt[i] for i in gtind]
    gtIg = gtIg[gtind]
    iscrowd = [g[4] for g in gt]
    dtind = np.argsort([-d[1] for d in dt], kind='mergesort')
    dt = [dt[i] for i in dtind[0:maxDet]]
    ious = np.array([[(crowd_iou if g[4] else iou)(d[2:], g[:4]) for g in gt] for d in dt]) if len(gt) and len(dt) else []
    T, G, D = len(iouThrs), len(gt), len(dt)
    gtm = np.zeros((T, G))
    dtm = np.zeros((T, D))
    dtIg = np.zeros((T, D))
    if len(ious):
        for tind, t in enumerate(iouThrs):
            for dind, d in enumerate(dt):
                iou_ = min([t, 1 - 1e-10])
                m = -1
                for gind in range(G):
                    if gtm[tind, gind] > 0 and not iscrowd[gind]:
                        continue
                    if m > -1 and gtIg[m] == 0 and gtIg[gind] == 1:
                        break
                    if ious[dind, gind] < iou_:
                        continue
                    iou_ = ious[dind, gind]
                    m = gind
                if m == -1:
                    continue
                dtIg[tind, dind] = gtIg[m]
                dtm[tind, dind] = 1
                gtm[tind, m] = 1
    return {"dtScores": [d[1] for d in dt], "dtMatches": dtm, "dtIgnore": dtIg, "gtIgnore": gtIg}


coco = {}
for lab in LABELS:
    E = [e for e in (evaluate_img(im, lab) for im in images) if e is not None]
    dtScores = np.concatenate([e['dtScores'][0:maxDet] for e in E])
    inds = np.argsort(-dtScores, kind='mergesort')
    dtm = np.concatenate([e['dtMatches'][:, 0:maxDet] for e in E], axis=1)[:, inds]
    dtIg = np.concatenate([e['dtIgnore'][:, 0:maxDet] for e in E], axis=1)[:, inds]
    gtIg = np.concatenate([e['gtIgnore'] for e in E])
    npig = np.count_nonzero(gtIg == 0)
    if npig == 0:
        continue
    tps = np.logical_and(dtm, np.logical_not(dtIg))
    fps = np.logical_and(np.logical_not(dtm), np.logical_not(dtIg))
    tp_sum = np.cumsum(tps, axis=1).astype(dtype=np.float64)
    fp_sum = np.cumsum(fps, axis=1).astype(dtype=np.float64)
    per_t = []
    for t, (tp, fp) in enumerate(zip(tp_sum, fp_sum)):
        nd = len(tp)
        rc = tp / npig
        pr = tp / (fp + tp + np.spacing(1))
        q = np.zeros((len(recThrs),))
        pr = pr.tolist()
        q = q.tolist()
        for i in range(nd - 1, 0, -1):
            if pr[i] > pr[i - 1]:
                pr[i - 1] = pr[i]
        inds_r = np.searchsorted(rc, recThrs, side='left')
        try:
            for ri, pi in enumerate(inds_r):
                q[ri] = pr[pi]
        except IndexError:
            pass
        per_t.append(float(np.mean(q)))
    coco[lab] = {"ap_coco": float(np.mean(per_t)), "ap50_coco": per_t[0], "ap75_coco": per_t[5]}


# ---- voc_eval (py-faster-rcnn), continuous IoU as in clpipe, use_07_metric=False ----
def voc_ap(rec, prec):
    mrec = np.concatenate(([0.], rec, [1.]))
    mpre = np.concatenate(([0.], prec, [0.]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


voc = {}
for lab in LABELS:
    R = {im["name"]: {"bbox": [g[1:5] for g in im["gt"] if g[0] == lab],
                      "difficult": [g[5] == 1 for g in im["gt"] if g[0] == lab]} for im in images}
    npos = sum(len(r["bbox"]) - sum(r["difficult"]) for r in R.values())
    if npos == 0:
        continue
    for r in R.values():
        r["det"] = [False] * len(r["bbox"])
    dets = [(im["name"], d[1], d[2:]) for im in images for d in im["dets"] if d[0] == lab]
    order = np.argsort([-d[1] for d in dets], kind='mergesort')  # voc_eval uses argsort; stable here
    tp = np.zeros(len(dets))
    fp = np.zeros(len(dets))
    for k, di in enumerate(order):
        name, _, bb = dets[di]
        r = R[name]
        ovmax, jmax = -np.inf, -1
        for j, g in enumerate(r["bbox"]):
            o = (crowd_iou if r["difficult"][j] else iou)(bb, g)
            if o > ovmax:
                ovmax, jmax = o, j
        if ovmax > 0.5:
            if not r["difficult"][jmax]:
                if not r["det"][jmax]:
                    tp[k] = 1
                    r["det"][jmax] = True
                else:
                    fp[k] = 1
        else:
            fp[k] = 1
    fp = np.cumsum(fp)
    tp = np.cumsum(tp)
    rec = tp / float(npos)
    prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    voc[lab] = voc_ap(rec, prec)

expected = {lab: dict(coco[lab], ap50_voc=voc[lab]) for lab in coco}
print(json.dumps({"comment": "written by make_golden_eval.py; see its docstring",
                  "images": images, "expected": expected}, indent=1))
