#!/usr/bin/env bash
# Runs shipped pipelines once under Oclgrind (ICD route, as `make kernel-check`), each cut to a
# step or a couple of images but at the pipeline's real shapes (batch, image and model sizes), and
# fails when Oclgrind's log reports an invalid access or API error (Oclgrind
# itself exits 0 on those). Slow: minutes per pipeline. Usage: kernel-check-real.sh [NAME...]
set -uo pipefail
cd "$(dirname "$0")/../../.."
out=target/oclgrind-real
mkdir -p "$out/icd" "$out/photos"
echo /usr/lib/oclgrind/liboclgrind-rt-icd.so > "$out/icd/oclgrind.icd"
cp -n data/photos/skimage/astronaut.png data/photos/skimage/chelsea.png "$out/photos/" 2>/dev/null
mkdir -p "$out/faces" && cp -n data/photos/opencv/messi5.jpg "$out/faces/" 2>/dev/null

declare -A runs=(
  [digits-detect]="pipelines/digits-detect.yaml --set stages[detect].scenes.train=16 --set stages[detect].scenes.test=16 --set stages[detect].epochs=1"
  [mnist-triplet]="pipelines/mnist-triplet.yaml --set stages[embed].limit_train=256 --set stages[embed].limit_test=64 --set stages[embed].epochs=1"
  [sliding-window]="pipelines/sliding-window.yaml --set stages[sliding].limit_train=128"
  [augment-folder]="pipelines/augment-folder.yaml --input $out/photos"
  [augment-preview]="pipelines/augment-preview.yaml --input $out/photos"
  [detect-faces]="pipelines/detect-faces.yaml --input $out/faces"
  [face-embed]="pipelines/face-embed.yaml --input $out/faces"
  [style-transfer]="pipelines/style-transfer.yaml --set stages[style].iterations=1"
)
names=("$@")
[ ${#names[@]} = 0 ] && names=(augment-folder augment-preview detect-faces face-embed digits-detect mnist-triplet sliding-window style-transfer)
failed=0
for name in "${names[@]}"; do
  log="$out/$name.oclgrind.log"
  rm -f "$log"
  start=$(date +%s)
  # shellcheck disable=SC2086
  OCL_ICD_VENDORS="$PWD/$out/icd" OCLGRIND_CHECK_API=1 OCLGRIND_LOG="$PWD/$log" \
    CLPIPE_CACHE="$PWD/$out/cache" ./clpipe run ${runs[$name]} --out "$out/runs" -q >"$out/$name.out" 2>&1
  rc=$?
  if [ -s "$log" ]; then
    failed=$((failed + 1)); echo "kernel-check-real: $name: Oclgrind reported problems (exit $rc, $(( $(date +%s) - start )) s):"; head -30 "$log"
  elif [ $rc != 0 ]; then
    failed=$((failed + 1)); echo "kernel-check-real: $name: the run failed (exit $rc):"; tail -5 "$out/$name.out"
  else
    echo "kernel-check-real: $name: clean ($(( $(date +%s) - start )) s)"
  fi
done
echo "kernel-check-real: ${#names[@]} pipelines, $failed with problems"
[ $failed = 0 ]
