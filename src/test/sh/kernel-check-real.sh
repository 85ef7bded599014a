#!/usr/bin/env bash
# Runs shipped pipelines once under Oclgrind (ICD route, as `make kernel-check`) at their real shapes
# (batch, image and model sizes as shipped) and fails when Oclgrind's log reports an invalid access or
# API error (Oclgrind itself exits 0 on those) or the run fails. Oclgrind 21.10 is not thread-safe;
# clpipe puts its OpenCL calls behind one lock on an Oclgrind device (cl/OpenClLock). Each run has
# --profile, so metrics.json counts the kernel launches Oclgrind checked.
#
# Why the runs are cut: Oclgrind interprets every work-item (about 16 s per LeNet-5 GEMM launch at
# batch 128 on a quiet machine), so whole epochs would take days. Shapes are what an out-of-bounds
# access depends on, the number of batches is not, so each run keeps its real shapes but only as many
# images/steps as launch every kernel it uses once: one training step at the real batch (limit_train =
# batch), one epoch, one test batch. The IDX test splits are cut to 16 images: 10000 mod 256 and
# 10000 mod 128 are both 16, so that is exactly the partial last batch a full evaluation launches
# (full batches are covered by the training step's forward pass). Iterative jobs run one iteration,
# detectors one photo, folder jobs a few images per class. folder-predict needs folder-train's
# checkpoint: it is trained first when missing.
#
# QUICK=1 runs Oclgrind's quick mode (OCLGRIND_QUICK): every launch keeps its real global size and
# buffers, but only its first and last work-group run, which is where an index past a buffer's end or
# before its start shows. A launch without a local size is one work-item per group under Oclgrind, so
# there the first and last work-item run. Minutes for all 14 pipelines instead of days; the outputs
# are meaningless (most groups never run), so only the Oclgrind log and the launch counts count.
set -uo pipefail
mode=full
if [ "${QUICK:-0}" = 1 ]; then export OCLGRIND_QUICK=1 mode="quick: first and last work-group"; else unset OCLGRIND_QUICK; fi
cd "$(dirname "$0")/../../.."
out=target/oclgrind-real
mkdir -p "$out/icd" "$out/photos"
echo /usr/lib/oclgrind/liboclgrind-rt-icd.so > "$out/icd/oclgrind.icd"
cp -n data/photos/skimage/astronaut.png data/photos/skimage/chelsea.png "$out/photos/" 2>/dev/null
mkdir -p "$out/faces" && cp -n data/photos/opencv/messi5.jpg "$out/faces/" 2>/dev/null

# be32 N: N as four big-endian bytes (IDX headers)
be32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }
# idx_subset SRC DST TRAIN TEST: the first TRAIN/TEST 28x28 images and labels of an IDX dataset
# (plain or .gz), so the evaluate stages (which read the whole test split) stay short.
idx_subset() {
  local src=$1 dst=$2 split n f
  [ "$(cat "$dst/.done" 2>/dev/null)" = "$3 $4" ] && return
  mkdir -p "$dst"
  for split in train t10k; do
    [ $split = train ] && n=$3 || n=$4
    f=$(ls "$src/$split-images-idx3-ubyte"* | head -1)
    { printf "\x00\x00\x08\x03$(be32 "$n")$(be32 28)$(be32 28)"; zcat -f "$f" | tail -c +17 | head -c $((n * 784)); } >"$dst/$split-images-idx3-ubyte"
    f=$(ls "$src/$split-labels-idx1-ubyte"* | head -1)
    { printf "\x00\x00\x08\x01$(be32 "$n")"; zcat -f "$f" | tail -c +9 | head -c "$n"; } >"$dst/$split-labels-idx1-ubyte"
  done
  echo "$3 $4" >"$dst/.done"
}
idx_subset data/mnist "$out/mnist" 256 16
idx_subset data/fashion-mnist "$out/fashion-mnist" 256 16
# the triplet job holds out validation images of digits 0-6 and tests on digits 7-9: it needs 8 per
# class on each side of the split (one P x K batch), so it gets more test images
idx_subset data/mnist "$out/mnist-triplet" 256 128
# A labelled PNG folder with a few images per class (folder-train, folder-predict).
if [ ! -f "$out/fashion-png/.done" ]; then
  for split in train test; do
    for d in data/fashion-mnist-png/$split/*/; do
      c=$(basename "$d"); mkdir -p "$out/fashion-png/$split/$c"
      ls "$d" | sort | head -$([ $split = train ] && echo 16 || echo 4) | while read -r f; do cp "$d$f" "$out/fashion-png/$split/$c/"; done
    done
  done
  touch "$out/fashion-png/.done"
fi
m=$PWD/$out/mnist f=$PWD/$out/fashion-mnist t=$PWD/$out/mnist-triplet
# one step at the stage's batch, one epoch (the IDX test splits already hold one partial batch)
one_step() { echo "--set stages[$1].epochs=1 --set stages[$1].limit_train=$2"; }

declare -A runs=(
  [augment-folder]="pipelines/augment-folder.yaml --input $out/photos"
  [augment-preview]="pipelines/augment-preview.yaml --input $out/photos"
  [detect-faces]="pipelines/detect-faces.yaml --input $out/faces"
  [face-embed]="pipelines/face-embed.yaml --input $out/faces"
  [face-cluster]="pipelines/face-cluster.yaml --input $out/faces"
  [mnist-lenet5]="pipelines/mnist-lenet5.yaml $(one_step train 128) --set stages[train].data=$m --set stages[evaluate].data=$m"
  [mnist-resnet]="pipelines/mnist-resnet.yaml $(one_step train 64) --set stages[train].data=$m --set stages[evaluate].data=$m"
  [fashion-transfer]="pipelines/fashion-transfer.yaml $(one_step pretrain 128) --set stages[pretrain].data=$m $(one_step train 128) --set stages[train].data=$f --set stages[evaluate].data=$f --set stages[evaluate-tta].data=$f"
  [folder-train]="pipelines/folder-train.yaml --input $out/fashion-png $(one_step train 128)"
  [folder-predict]="pipelines/folder-predict.yaml --input $out/fashion-png/test"
  [digits-detect]="pipelines/digits-detect.yaml --set stages[detect].scenes.train=16 --set stages[detect].scenes.test=16 --set stages[detect].epochs=1"
  [mnist-triplet]="pipelines/mnist-triplet.yaml --set stages[embed].data=$t --set stages[embed].validation=80 --set stages[embed].epochs=1"
  [sliding-window]="pipelines/sliding-window.yaml --set stages[sliding].data=$m --set stages[sliding].limit_train=128 --set stages[sliding].repeats=1"
  [style-transfer]="pipelines/style-transfer.yaml --set stages[style].iterations=1 --set stages[style].snapshots=2"
)
names=("$@")
[ ${#names[@]} = 0 ] && names=(augment-folder augment-preview detect-faces face-embed face-cluster mnist-lenet5 mnist-resnet fashion-transfer
  folder-train folder-predict digits-detect mnist-triplet sliding-window style-transfer)
# folder-predict reads the checkpoint folder-train writes: train first when there is none
if [[ " ${names[*]} " == *" folder-predict "* && " ${names[*]} " != *" folder-train "* ]] \
    && ! ls -d "$out"/runs/folder-train-*/checkpoints >/dev/null 2>&1; then
  names=(folder-train "${names[@]}")
fi
failed=0 total_launches=0
for name in "${names[@]}"; do
  [ -n "${runs[$name]:-}" ] || { echo "kernel-check-real: no run named $name (names: ${!runs[*]})"; failed=$((failed + 1)); continue; }
  args=${runs[$name]}
  if [ "$name" = folder-predict ]; then # the checkpoint folder-train wrote (run that first)
    trained=$(ls -d "$out"/runs/folder-train-*/checkpoints 2>/dev/null | sort | tail -1)
    trained=${trained%/checkpoints}
    [ -n "$trained" ] || { echo "kernel-check-real: folder-predict needs a folder-train run first"; failed=$((failed + 1)); continue; }
    args="$args --set stages[predict].checkpoint=$PWD/$trained"
  fi
  log="$out/$name.oclgrind.log"
  rm -f "$log"
  start=$(date +%s) load_start=$(cut -d' ' -f1 /proc/loadavg)
  # shellcheck disable=SC2086
  OCL_ICD_VENDORS="$PWD/$out/icd" OCLGRIND_CHECK_API=1 OCLGRIND_LOG="$PWD/$log" \
    CLPIPE_CACHE="$PWD/$out/cache" ./clpipe run $args --out "$out/runs" --profile -q >"$out/$name.out" 2>&1
  rc=$?
  run_dir=$(grep -l "\"$name\"" "$out"/runs/*/run.json 2>/dev/null | xargs -r ls -t | head -1 | xargs -r dirname)
  launches=$( [ -n "$run_dir" ] && grep -o '"launches" : [0-9]*' "$run_dir/metrics.json" | awk '{s += $3} END {print s + 0}' || echo 0)
  device=$( [ -n "$run_dir" ] && grep -o 'Oclgrind Simulator' "$run_dir/run.json" | head -1)
  secs=$(( $(date +%s) - start )) load="load average $load_start-$(cut -d' ' -f1 /proc/loadavg)"
  if [ -s "$log" ] || grep -qi 'oclgrind.*error\|invalid \(read\|write\)\|uninitiali' "$out/$name.out"; then
    failed=$((failed + 1)); echo "kernel-check-real: $name: Oclgrind reported problems (exit $rc, $secs s; $load):"; head -30 "$log"
  elif [ $rc != 0 ]; then
    failed=$((failed + 1)); echo "kernel-check-real: $name: the run failed (exit $rc, $secs s; $load):"; grep -v '^\s*at ' "$out/$name.out" | tail -5
  elif [ "$device" != "Oclgrind Simulator" ]; then
    failed=$((failed + 1)); echo "kernel-check-real: $name: did not run on Oclgrind (run.json names no Oclgrind device)"
  else
    total_launches=$((total_launches + launches))
    echo "kernel-check-real: $name: clean, $launches kernel launches checked ($secs s; $load)"
  fi
done
echo "kernel-check-real ($mode): ${#names[@]} pipelines, $total_launches kernel launches checked, $failed with problems"
[ $failed = 0 ]
