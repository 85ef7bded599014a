#!/usr/bin/env bash
# Bad invocations through the real launcher, one process each: every one must end with the
# documented exit code (2 usage/config, 3 device, 4 data, 1 other), say what is wrong on an
# "error:" line, print no stack trace, and (for errors a run can see before starting) leave no
# run folder. Prints one line per case and a closing "N passed, M failed" line.
set -u
cd "$(dirname "$0")/../../.."
work=$(mktemp -d "${TMPDIR:-/tmp}/clpipe-bad.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CLPIPE_CACHE="${CLPIPE_CACHE:-$work/cache}"
passed=0 failed=0
runs="$work/runs" # pre-flight errors must leave this empty
mkdir -p "$runs"

# bad CODE PATTERN -- ARGS...: ./clpipe ARGS exits CODE, prints PATTERN (ERE) on an error: line, no trace, no run folder.
bad() {
  local want=$1 pattern=$2; shift 3
  ./clpipe "$@" >"$work/out" 2>&1; local got=$?
  local why=""
  [ "$got" = "$want" ] || why="exit $got, wanted $want"
  if grep -qE 'Exception in thread|^[[:space:]]+at [a-z]|at dev\.clpipe|^Caused by' "$work/out"; then why="${why:+$why; }stack trace"; fi
  grep -E '^error: ' "$work/out" | grep -qE -- "$pattern" || why="${why:+$why; }no error line matching '$pattern'"
  if [ -n "$(ls -A "$runs")" ]; then why="${why:+$why; }left a run folder: $(ls "$runs")"; rm -rf "${runs:?}"/*; fi
  if [ -z "$why" ]; then
    passed=$((passed + 1)); echo "ok    [$want] $*"
  else
    failed=$((failed + 1)); echo "FAIL  [$want] $* ($why)"; sed 's/^/      /' "$work/out" | head -12
  fi
}

# Fixtures: files of the wrong kind, bad YAML, a bad model, a checkpoint folder without index.json.
touch "$work/a-file"
mkdir -p "$work/empty" "$work/no-index"
printf 'name: x\nstages:\n  - type: image-folder\n    input: [a\n' >"$work/bad.yaml"
printf 'stages: 5\n' >"$work/wrong-type.yaml"
: >"$work/empty.yaml"
printf '\000\001\002' >"$work/binary.yaml"
printf 'name: misfit\ninput: {height: 3, width: 3, channels: 1}\nlayers:\n  - {type: conv, filters: 4, kernel: 5}\n' >"$work/misfit-model.yaml"
printf '\223NUMPY' >"$work/no-index/conv1.weight.npy"
convert=(run pipelines/convert-folder.yaml --input data/photos --out "$runs")

# Usage and configuration: exit 2.
bad 2 "unknown command 'devics'" -- devics
bad 2 "Unrecognized option: --nosuch" -- run pipelines/convert-folder.yaml --nosuch
bad 2 "expected one pipeline file" -- run
bad 2 "pipeline file /nonexistent.yaml does not exist" -- run /nonexistent.yaml --out "$runs"
bad 2 "bad.yaml:5:1: invalid YAML" -- run "$work/bad.yaml" --out "$runs"
bad 2 "stages: expected a list of maps" -- validate "$work/wrong-type.yaml"
bad 2 "needs at least one stage" -- validate "$work/empty.yaml"
bad 2 "invalid YAML" -- validate "$work/binary.yaml"
bad 2 "expected --set key.path=value" -- "${convert[@]}" --set batch
bad 2 "unknown key 'nosuchkey'" -- "${convert[@]}" --set nosuchkey=1
bad 2 "batch: expected an integer" -- "${convert[@]}" --set batch=abc
bad 2 "index 99 is out of range" -- "${convert[@]}" --set 'stages[99].x=1'
bad 2 "has '\[' without '\]'" -- "${convert[@]}" --set 'stages[read.x=1'
bad 2 "workers: expected an integer from 0" -- "${convert[@]}" --set workers=-1
bad 2 "seed: expected an integer" -- "${convert[@]}" --seed abc
bad 2 "unknown device term 'foo'" -- "${convert[@]}" --device foo
bad 2 "unknown device term 'foo'" -- validate pipelines/convert-folder.yaml --device foo
bad 2 "'name~' needs text after it" -- "${convert[@]}" --device 'name~'
bad 2 "stages\[train\].device: unknown device term 'tpu'" -- validate pipelines/mnist-lenet5.yaml --set 'stages[train].device=tpu'
bad 2 "output_size: \[32768, 32768\] with batch" -- validate pipelines/augment-folder.yaml --set 'stages[augment].output_size=[32768,32768]'
bad 2 "output_size: \[32768, 32768\] with batch" -- run pipelines/augment-folder.yaml --out "$runs" --set 'stages[augment].output_size=[32768,32768]'
bad 2 "extensions: an empty list would read no file" -- "${convert[@]}" --set 'stages[read].extensions=[]'
bad 2 "--resume /nonexistent: not a run folder" -- run pipelines/convert-folder.yaml --resume /nonexistent
bad 2 "--resume .*: not a run folder" -- run pipelines/convert-folder.yaml --resume "$work/empty"
bad 2 "drop --out" -- run pipelines/convert-folder.yaml --resume "$work/empty" --out "$runs"
bad 2 "/nonexistent.yaml: file not found" -- model summary /nonexistent.yaml
bad 2 "misfit-model.yaml.*conv" -- model summary "$work/misfit-model.yaml"
# ONNX (docs/onnx.md): a truncated model and a text file are data errors naming the file; an input of the wrong shape too.
head -c 5000 src/test/resources/nn/onnx/lenet5.onnx >"$work/cut.onnx"
printf 'not a model\n' >"$work/text.onnx"
bad 4 "cut.onnx: .*(truncated|not an ONNX)" -- model summary "$work/cut.onnx"
bad 4 "text.onnx: .*not an ONNX model" -- model summary "$work/text.onnx"
bad 4 "resnet20-32px.input.npy: shape \[2, 3, 32, 32\] does not fit .*lenet5.onnx, which takes \[N, 1, 28, 28\] \(NCHW\)" -- model run src/test/resources/nn/onnx/lenet5.onnx --input src/test/resources/nn/onnx/resnet20-32px.input.npy --output "$work/y.npy" --device cpu
bad 2 "needs --input" -- model run src/test/resources/nn/onnx/lenet5.onnx
bad 2 "--checkpoint is for a model YAML; run a fine-tuned ONNX model after 'clpipe model export" -- model run src/test/resources/nn/onnx/lenet5.onnx --checkpoint "$work/no-index" --input src/test/resources/nn/onnx/lenet5.input.npy --output "$work/y.npy"
bad 4 "not a checkpoint folder|no checkpoint in" -- model export src/test/resources/nn/onnx/lenet5.onnx --checkpoint "$work/no-index" --output "$work/y.onnx"
# Malformed models (src/test/resources/nn/onnx/bad, written by BadOnnxFixturesTest): exit 4 naming the file and the tensor or input, 2 for an operator.
b=src/test/resources/nn/onnx/bad
bad 4 "opset12.onnx: opset 12 is out of the supported range 13-17" -- model summary $b/opset12.onnx
bad 4 "dynamic-height.onnx: input 'x': has a dynamic height dimension 'height'" -- model run $b/dynamic-height.onnx --input src/test/resources/nn/onnx/lenet5.input.npy --output "$work/y.npy"
bad 4 "short-tensor.onnx: initializer 'w': tensor 'w' holds 12 bytes but its shape \[2, 2, 1, 1\] of float needs 16" -- model export $b/short-tensor.onnx --output "$work/y.onnx"
bad 4 "external-missing.onnx: initializer 'w': .*weights-absent.bin which does not exist" -- model summary $b/external-missing.onnx
bad 4 "external-escape.onnx: initializer 'w': .*'../ops-mix17.onnx' outside the model's folder" -- model summary $b/external-escape.onnx
bad 2 "lstm.onnx: node 'rnn/lstm' \(LSTM\): operator LSTM is not supported" -- model summary $b/lstm.onnx
bad 4 "opset12.onnx: opset 12" -- run pipelines/folder-predict.yaml --input data/photos --out "$runs" --set stages[predict].model=$PWD/$b/opset12.onnx
bad 2 "model export needs --output" -- model export src/test/resources/nn/onnx/lenet5.onnx
bad 2 "needs --checkpoint" -- model run pipelines/models/lenet5.yaml --input src/test/resources/nn/onnx/lenet5.input.npy --output "$work/y.npy"
bad 2 "stages\[train\].data: layer .* of model mobilenetv2-w025 takes 64x64x3 input, but .*data/mnist holds 28x28x1 images" -- run pipelines/mnist-lenet5.yaml --out "$runs" --set stages[train].model=$PWD/src/test/resources/nn/onnx/mobilenetv2-w025.onnx
bad 2 "an ONNX model starts from its own weights" -- run pipelines/mnist-lenet5.yaml --out "$runs" --set stages[train].model=$PWD/src/test/resources/nn/onnx/lenet5.onnx --set stages[train].transfer.freeze=1 --set stages[train].transfer.from=$PWD/pipelines
bad 4 "opset12.onnx: opset 12" -- run pipelines/mnist-lenet5.yaml --out "$runs" --set stages[evaluate].model=$PWD/src/test/resources/nn/onnx/bad/opset12.onnx
if [ -f data/face-api/face_recognition_model-weights_manifest.json ]; then
  bad 4 "lenet5.input.npy: shape \[2, 1, 28, 28\] does not fit .*face_recognition_model-weights_manifest.json, which takes \[N, 150, 150, 3\] \(NHWC\)" -- model run data/face-api/face_recognition_model-weights_manifest.json --input src/test/resources/nn/onnx/lenet5.input.npy --output "$work/y.npy" --device cpu
fi
bad 2 "misfit-model.yaml" -- validate pipelines/mnist-lenet5.yaml --set "stages[train].model=$work/misfit-model.yaml"
bad 2 "unknown bench suite 'nosuch'" -- bench nosuch
bad 2 "kernels build needs --device SPEC and --out DIR" -- kernels build --device cpu
mkdir -p "$work/broken-plugins" && printf 'PK\003\004 not really' >"$work/broken-plugins/broken.jar"
bad 2 "^error: plug-in .*broken-plugins/broken.jar: not a readable jar" -- validate pipelines/convert-folder.yaml --plugins "$work/broken-plugins"
bad 2 "plug-in /nonexistent: not a folder" -- "${convert[@]}" --plugins /nonexistent
bad 2 "unknown stage type \"drop-dark\"" -- validate examples/plugin/pipeline.yaml
printf 'name: nope\ninput: %s\nstages:\n  - {type: image-folder}\n  - {type: decode}\n  - {id: op, type: java-op, class: org.example.Nope}\n' "$PWD/data/photos" >"$work/nope.yaml"
bad 2 "stages\[op\].class: class org.example.Nope not found \(give its jar's folder with --plugins DIR\)" -- validate "$work/nope.yaml"

# Devices: exit 3 (a well-formed device string that matches nothing, missing kernel binaries).
bad 3 "no OpenCL device matches '9:9'" -- validate pipelines/convert-folder.yaml --device 9:9
bad 3 "no OpenCL device matches '9:9'" -- "${convert[@]}" --device 9:9
bad 3 "cannot read kernel manifest /nonexistent" -- "${convert[@]}" --kernels /nonexistent

# Data: exit 4 (missing or unusable inputs), found before any run folder exists.
bad 4 "stages\[read\].input: folder /nonexistent does not exist" -- run pipelines/convert-folder.yaml --input /nonexistent --out "$runs"
bad 4 "stages\[read\].input: folder /nonexistent does not exist" -- validate pipelines/convert-folder.yaml --input /nonexistent
bad 4 "a-file is a file, not a folder" -- run pipelines/convert-folder.yaml --input "$work/a-file" --out "$runs"
bad 4 "a-file: already exists" -- run pipelines/convert-folder.yaml --input data/photos --out "$work/a-file"
bad 4 "a-file: already exists" -- kernels build --device cpu --out "$work/a-file"
bad 4 "stages\[train\].data: folder /nonexistent does not exist" -- run pipelines/mnist-lenet5.yaml --out "$runs" --set 'stages[train].data=/nonexistent'
bad 4 "stages\[train\].data: folder .*empty lacks train-images-idx3-ubyte" -- validate pipelines/mnist-lenet5.yaml --set "stages[train].data=$work/empty"
bad 4 "stages\[embed\].models: folder .*empty lacks .*make models" -- run pipelines/face-embed.yaml --out "$runs" --set "stages[embed].models=$work/empty"
bad 4 "stages\[embed\].human_models: folder .*empty lacks faceres.json, faceres.bin" -- validate pipelines/face-embed.yaml --set "stages[embed].human_models=$work/empty"
bad 4 "stages\[faces\].models: folder .*empty lacks tiny_face_detector" -- validate pipelines/detect-faces.yaml --set "stages[faces].models=$work/empty"
bad 4 "stages\[style\].content: file /nonexistent.jpg does not exist" -- validate pipelines/style-transfer.yaml --set 'stages[style].content=/nonexistent.jpg'
bad 4 "no-index \(expected index.json" -- run pipelines/mnist-lenet5.yaml --out "$runs" --set "stages[evaluate].checkpoint=$work/no-index"

# A damaged face-api model: refused while planning (validate too), naming the file, before any run folder.
if [ -f data/face-api/SHA256SUMS ]; then
  cp -r data/face-api "$work/face-api"
  printf '\377' | dd of="$work/face-api/face_recognition_model.bin" bs=1 seek=4096 conv=notrunc status=none
  mkdir -p "$work/one-photo" && cp "$(find data/photos -name '*.jpg' | sort | head -1)" "$work/one-photo/"
  bad 4 "face_recognition_model.bin: damaged or replaced: SHA-256" -- run pipelines/face-embed.yaml --input "$work/one-photo" --out "$runs" \
    --set "stages[embed].models=$work/face-api"
  bad 4 "face_recognition_model.bin: damaged or replaced: SHA-256" -- validate pipelines/face-embed.yaml --input "$work/one-photo" \
    --set "stages[embed].models=$work/face-api"
fi

# Damaged weights: refused naming file and tensor, exit 4 (these runs start, so they get a run folder elsewhere).
others="$work/other-runs"
hm="${CLPIPE_HUMAN_MODELS:-data/human-models}"
if [ -f "$hm/SHA256SUMS" ] && [ -f data/face-api/SHA256SUMS ]; then
  mkdir -p "$work/one-photo" && cp "$(find data/photos -name '*.jpg' | sort | head -1)" "$work/one-photo/"
  cp -r "$hm" "$work/human-models"
  printf '\377' | dd of="$work/human-models/faceres.bin" bs=1 seek=4096 conv=notrunc status=none
  bad 4 "faceres.bin: damaged or replaced: SHA-256" -- run pipelines/face-embed.yaml --input "$work/one-photo" --out "$others" \
    --set "stages[embed].human_models=$work/human-models"
  mkdir -p "$work/own-models" && cp "$hm/faceres.json" "$work/own-models/" # no SHA256SUMS: read unverified
  head -c 100000 "$hm/faceres.bin" > "$work/own-models/faceres.bin"
  bad 4 "own-models/faceres.json: truncated shard faceres.bin" -- run pipelines/face-embed.yaml --input "$work/one-photo" --out "$others" \
    --set "stages[embed].human_models=$work/own-models"
fi
if [ -d data/photos ]; then
  # An annotated folder for detect-train: a malformed YOLO line, then a label file without its image.
  photo=$(find data/photos -name '*.jpg' | sort | head -1)
  for split in train test; do
    mkdir -p "$work/ann/$split/images" "$work/ann/$split/labels"
    cp "$photo" "$work/ann/$split/images/a.jpg"
    printf '3 0.5 0.5 0.2 0.2\n' >"$work/ann/$split/labels/a.txt"
  done
  printf '0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n' >"$work/ann/classes.names"
  printf '3 0.5 0.5 0.2 0.2\n3 0.5 0.5 0.2\n' >"$work/ann/train/labels/a.txt"
  bad 4 "ann/train/labels/a.txt:2: expected 'class cx cy w h'" -- run pipelines/folder-detect-train.yaml --input "$work/ann" --out "$others" \
    --set "stages[detect].cache=$work/cache-ann"
  printf '3 0.5 0.5 0.2 0.2\n' >"$work/ann/train/labels/a.txt"
  cp "$work/ann/train/labels/a.txt" "$work/ann/test/labels/gone.txt"
  bad 4 "1 label file\(s\) name a missing image: labels/gone.txt" -- run pipelines/folder-detect-train.yaml --input "$work/ann" --out "$others" \
    --set "stages[detect].cache=$work/cache-ann"
fi
if [ -d data/mnist ]; then
  ./clpipe run pipelines/mnist-lenet5.yaml -q --out "$work/trained" --set 'stages[train].limit_train=256' --set 'stages[train].limit_test=64' \
    --set 'stages[train].epochs=1' --set 'stages[train].batch=64' >"$work/train.log" 2>&1 || { cat "$work/train.log"; exit 1; }
  good=$(ls -d "$work"/trained/*/checkpoints/epoch-0001)
  eval_yaml="$work/evaluate.yaml"
  printf 'name: evaluate\nstages:\n  - {id: evaluate, type: evaluate, model: %s, data: %s, checkpoint: CHECKPOINT}\n' \
    "$PWD/pipelines/models/lenet5.yaml" "$PWD/data/mnist" >"$eval_yaml"
  cp -r "$good" "$work/flipped"
  size=$(stat -c %s "$work/flipped/conv1.weight.npy")
  printf '\100' | dd of="$work/flipped/conv1.weight.npy" bs=1 seek=$((size - 3)) conv=notrunc status=none
  bad 4 "flipped/conv1.weight.npy: tensor 'conv1.weight' is damaged: checksum" -- run "$eval_yaml" --out "$others" \
    --set "stages[evaluate].checkpoint=$work/flipped"
  # A checkpoint from before checksums (format /1) whose tensor header declares 2e9 x 2e9 values.
  cp -r "$good" "$work/huge"
  sed -i 's#clpipe-checkpoint/2#clpipe-checkpoint/1#' "$work/huge/index.json"
  header="{'descr': '<f4', 'fortran_order': False, 'shape': (2000000000, 2000000000), }"
  header=$(printf '%-117s' "$header")
  { printf '\223NUMPY\001\000\166\000'; printf '%s\n' "$header"; printf '\000\000\000\000'; } >"$work/huge/conv1.weight.npy"
  bad 4 "huge/conv1.weight.npy: header declares shape \[2000000000, 2000000000\]" -- run "$eval_yaml" --out "$others" \
    --set "stages[evaluate].checkpoint=$work/huge"
fi

echo "bad-invocations: $passed passed, $failed failed"
[ "$failed" = 0 ]
