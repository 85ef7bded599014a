#!/bin/bash
# Training reference: runs six training pipelines (LeNet-5 default, fashion-transfer, mnist-triplet, digits-detect,
# all-devices, folder-train) with small --set sizes and fixed seeds, then writes OUTDIR/summary.txt: a checksum of every
# checkpoint tensor (weights and optimiser state), detections/predictions files, and metrics.json without timings.
# Two summaries (e.g. main vs a branch, CLPIPE=path/to/other/clpipe) must be identical. Dev-time only (python3).
# usage: src/test/sh/training-reference.sh OUTDIR [CLPIPE]
set -u
cd "$(dirname "$0")/../../.."
OUT=$(realpath -m "$1"); CLP=$(realpath "${2:-./clpipe}"); rm -rf $OUT; mkdir -p $OUT
run() { name=$1; shift; nice -n 5 $CLP run -q -o $OUT/$name "$@" > $OUT/$name.log 2>&1; echo "$name rc=$?" >> $OUT/rc.txt; }
run lenet5 pipelines/mnist-lenet5.yaml --set stages[train].epochs=2 --set stages[train].limit_train=8192 --set stages[train].limit_test=2000
run transfer pipelines/fashion-transfer.yaml --set stages[pretrain].epochs=1 --set stages[pretrain].limit_train=4096 --set stages[train].epochs=2 --set stages[train].limit_train=4096 --set stages[train].limit_test=1000
run triplet pipelines/mnist-triplet.yaml --set stages[embed].epochs=1 --set stages[embed].limit_train=12000 --set stages[embed].limit_test=2000 --set stages[embed].validation=1000 --set stages[embed].pairs=1000 --set stages[embed].trials=500
run detect pipelines/digits-detect.yaml --set stages[detect].epochs=2 --set stages[detect].scenes.train=512 --set stages[detect].scenes.test=64 --set stages[detect].evaluate_every=1
run alldev pipelines/mnist-lenet5-all-devices.yaml --set stages[train].epochs=1 --set stages[train].limit_train=4096 --set stages[train].limit_test=1000
run folder pipelines/folder-train.yaml --input data/fashion-mnist-png --set stages[train].epochs=2 --set stages[train].limit_train=4096 --set stages[train].limit_test=1000
python3 - $OUT > $OUT/summary.txt <<'PY'
import sys, os, json, hashlib, re
out = sys.argv[1]
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if not re.search(r'second|per_s|_s$|time|wait|checkpoint|path|folder|started|ended|host|device|cache|kernels|rss|memory|split|from|features', k)}
    if isinstance(o, list): return [strip(v) for v in o]
    return o
for name in sorted(os.listdir(out)):
    d = os.path.join(out, name)
    if not os.path.isdir(d): continue
    for run in sorted(os.listdir(d)):
        rd = os.path.join(d, run)
        for root, _, files in sorted(os.walk(rd)):
            for f in sorted(files):
                p = os.path.join(root, f)
                if 'checkpoint' in p and not f.endswith('.json') or f.endswith('.jsonl') or f.endswith('.csv') and 'skipped' not in f:
                    print(name, os.path.relpath(p, rd), hashlib.sha256(open(p,'rb').read()).hexdigest()[:16])
        m = os.path.join(rd, 'metrics.json')
        if os.path.exists(m):
            print(name, 'metrics', json.dumps(strip(json.load(open(m))), sort_keys=True))
PY
