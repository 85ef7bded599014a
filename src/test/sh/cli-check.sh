#!/usr/bin/env bash
# End-to-end checks of the clpipe launcher: real processes, real exit codes, real messages.
# Prints one line per check and a closing "N passed, M failed" line.
set -u
cd "$(dirname "$0")/../../.."
work=$(mktemp -d "${TMPDIR:-/tmp}/clpipe-cli-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CLPIPE_CACHE="$work/cache"
passed=0 failed=0

check() { # check NAME EXPECTED_CODE GREP_PATTERN -- command...
  local name=$1 want=$2 pattern=$3; shift 4
  "$@" >"$work/out" 2>&1; local got=$?
  if [ "$got" = "$want" ] && grep -qE -- "$pattern" "$work/out"; then
    passed=$((passed + 1)); echo "ok    $name"
  else
    failed=$((failed + 1)); echo "FAIL  $name (exit $got, wanted $want; pattern '$pattern')"; sed 's/^/      /' "$work/out" | head -20
  fi
}

mkdir -p "$work/no-icd"
check "no OpenCL platform: exit 3 and how to install one" 3 "no OpenCL platform found.*apt-get install pocl" -- \
  env OCL_ICD_VENDORS="$work/no-icd" ./clpipe devices
check "gpu on a GPU-less machine: exit 3 listing the CPU device" 3 "0:0 cpu" -- ./clpipe devices --device gpu
check "unknown device term: exit 2" 2 "unknown device term 'fpga'" -- ./clpipe devices --device fpga
check "validate --keys lists every key with its default and description" 0 "stages\[train\]\.epochs: an integer from 1 to 100000 \(default 10\) - passes over" -- \
  ./clpipe validate pipelines/mnist-lenet5.yaml --keys
check "the jar leaves log4j2.xml to an embedding application" 0 "^clpipe-log4j2.xml$" -- \
  sh -c 'unzip -Z1 target/clpipe.jar | grep -E "^(clpipe-)?log4j2.xml$"'
check "unknown command: exit 2 with a suggestion" 2 "did you mean 'devices'" -- ./clpipe devics
check "launcher preloads libjsig: no signal-chaining warning" 0 "^chaining on$" -- \
  bash -c './clpipe devices >/dev/null 2>"$0" && ! grep -q "signal chaining is off" "$0" && echo "chaining on"' "$work/jsig.err"
check "java -jar without libjsig: one warning line naming the fix" 0 "signal chaining is off .*LD_PRELOAD=.*libjsig.so" -- \
  env -u LD_PRELOAD java -jar target/clpipe.jar devices
check "devices --json: PoCL device with a passing self-test" 0 '"passed" : true' -- ./clpipe devices --json
check "cold start compiles the self-test kernel" 0 "kernels: 1 compiled, 0 from cache" -- \
  env CLPIPE_CACHE="$work/cold" ./clpipe devices -v
check "warm start compiles nothing" 0 "kernels: 0 compiled, 1 from cache" -- env CLPIPE_CACHE="$work/cold" ./clpipe devices -v
check "kernels build writes a manifest" 0 "manifest.json" -- ./clpipe kernels build --device cpu --out "$work/bin"
check "offline binaries: nothing compiled" 0 "kernels: 0 compiled, 0 from cache, 1 offline binaries" -- \
  env CLPIPE_CACHE="$work/empty-cache" ./clpipe devices -v --kernels "$work/bin"
sed -i 's/"name" : "[^"]*"/"name" : "Another Board"/' "$work/bin/manifest.json"
check "offline binaries for another device: refused" 3 "built for \"Another Board\"" -- ./clpipe devices --kernels "$work/bin"

# A whole training pipeline from offline binaries (FPGA-style): built for the model, then nothing compiled;
# then on two PoCL devices in data parallel with device 1 failing at step 3.
if [ -d data/mnist ]; then
  small=(--set 'stages[train].limit_train=512' --set 'stages[train].limit_test=128' --set 'stages[train].epochs=1' --set 'stages[train].batch=64')
  check "kernels build --model: the model's shape-specialised kernels too" 0 "wrote [0-9]+ binaries" -- \
    ./clpipe kernels build --device cpu --out "$work/lenet-bin" --model pipelines/models/lenet5.yaml --batch 64,32
  check "training pipeline from offline binaries compiles nothing" 0 "kernels: 0 compiled, 0 from cache, [0-9]+ offline binaries" -- \
    env CLPIPE_CACHE="$work/empty-train" ./clpipe run pipelines/mnist-lenet5.yaml -v --kernels "$work/lenet-bin" --out "$work/runs" "${small[@]}"
  check "two devices, one failing mid-run: dropped, the run ends ok" 0 "failed at step 3 and is dropped" -- \
    env POCL_DEVICES="pthread pthread" POCL_MAX_PTHREAD_COUNT=1 CLPIPE_CACHE="$work/empty-two" ./clpipe run pipelines/mnist-lenet5.yaml \
    --kernels "$work/lenet-bin" --out "$work/runs" "${small[@]}" --set 'stages[train].device=all' --set 'stages[train].inject_fault=1@3'
fi

# Training from a labelled folder (the shipped folder-train.yaml on a small copy of data/fashion-mnist-png)
# on two sub-devices of the CPU in data parallel, each streaming its slice of every batch from the sample
# cache: killed with kill -9 once its first checkpoint is written, then resumed to the end.
if [ -d data/fashion-mnist-png/train ] && [ -d data/fashion-mnist-png/test ]; then
  small_png="$work/fashion-small"
  for split in train:24 test:6; do
    for class in data/fashion-mnist-png/${split%%:*}/*/; do
      mkdir -p "$small_png/${split%%:*}/$(basename "$class")"
      find "$class" -name '*.png' | sort | head -"${split##*:}" | xargs cp -t "$small_png/${split%%:*}/$(basename "$class")"
    done
  done
  folder_two=(env POCL_DEVICES=pthread POCL_MAX_PTHREAD_COUNT=2 ./clpipe run pipelines/folder-train.yaml
    --input "$small_png" --device 0:0/2 --set 'stages[train].batch=16' --set 'stages[train].epochs=12')
  for attempt in 1 2 3; do
    rm -rf "$work/folder-two"
    "${folder_two[@]}" --out "$work/folder-two" >"$work/folder-two.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 1200); do [ -n "$(find "$work/folder-two" -path '*/checkpoints/epoch-0001/index.json' 2>/dev/null)" ] && break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null; wait "$pid"; code=$?
    folder_run=$(ls -d "$work"/folder-two/folder-train-* 2>/dev/null | head -1)
    [ "$code" = 137 ] && break
    echo "      folder kill -9 attempt $attempt: the run had ended (exit $code) before the kill; again"
  done
  if [ "$code" = 137 ] && [ -n "$folder_run" ] && grep -q "2 devices in data parallel" "$work/folder-two.log"; then
    passed=$((passed + 1)); echo "ok    folder training on two sub-devices: in data parallel, killed with kill -9 after epoch 1"
  else
    failed=$((failed + 1)); echo "FAIL  folder training on two sub-devices (exit $code)"; grep -v '^\s*at ' "$work/folder-two.log" | tail -5
  fi
  check "... --resume after kill -9 trains the rest on both and checkpoints epoch 12" 0 "train: resumed from .*epoch-00[0-9][0-9]" -- \
    bash -c '"$@" --resume "$0" && ls "$0/checkpoints/epoch-0012" >/dev/null && grep -q "\"data_parallel\"" "$0/metrics.json"' "$folder_run" "${folder_two[@]}"
fi

# Ctrl-C mid-run: the run folder says "interrupted", and --resume finishes only what is left.
if [ -d data/photos ]; then
  # The signal must land while the run is going: a run that had already ended when it came (a slow
  # poll on a loaded machine) proves nothing either way, so that attempt is set aside and redone.
  for attempt in 1 2 3; do
    rm -rf "$work/int"
    # job control, and SIGINT back to its default: a background job starts with SIGINT ignored, and
    # so does everything under a CI runner that started this script in the background (the JVM then
    # keeps it ignored, and the run goes on to the end)
    set -m
    env --default-signal=INT ./clpipe run pipelines/convert-folder.yaml --input data/photos --out "$work/int" --set batch=1 --set workers=1 >"$work/int.log" 2>&1 &
    pid=$!
    set +m
    for _ in $(seq 1 400); do [ -n "$(find "$work/int" -path "*/convert-folder-*" -name completed.txt -size +0 2>/dev/null)" ] && break; sleep 0.05; done
    kill -INT "$pid"; wait "$pid"; code=$?
    run=$(ls -d "$work"/int/convert-folder-* | head -1)
    [ "$code" = 0 ] && grep -q '"status" : "ok"' "$run/run.json" && ! grep -q interrupted "$work/int.log" || break
    echo "      Ctrl-C attempt $attempt: the run had ended before the signal came; again"
  done
  done_before=$(wc -l < "$run/completed.txt")
  total=$(find data/photos -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.bmp' -o -iname '*.gif' \) | wc -l)
  if [ "$code" = 130 ] && grep -q '"status" : "interrupted"' "$run/run.json" && [ "$done_before" -lt "$total" ]; then
    passed=$((passed + 1)); echo "ok    Ctrl-C: exit 130, run.json interrupted, $done_before of $total done"
  else
    failed=$((failed + 1)); echo "FAIL  Ctrl-C (exit $code, $done_before of $total done)"; tail -5 "$work/int.log"
  fi
  check "--resume with other options: exit 2 listing the keys" 2 "differs from the run's in batch, workers" -- \
    ./clpipe run pipelines/convert-folder.yaml --input data/photos --resume "$run"
  check "--resume finishes the rest" 0 "resuming: $done_before items already done" -- \
    ./clpipe run pipelines/convert-folder.yaml --input data/photos --set batch=1 --set workers=1 --resume "$run"
  written=$(find "$run/images" -type f | wc -l)
  skipped=$(($(wc -l < "$run/skipped.csv") - 1))
  if [ $((written + skipped)) = "$total" ] && grep -q '"status" : "ok"' "$run/run.json"; then
    passed=$((passed + 1)); echo "ok    after resume: $written written + $skipped skipped = $total inputs, each once"
  else
    failed=$((failed + 1)); echo "FAIL  after resume: $written written + $skipped skipped != $total"
  fi

  # A JVM crash (SIGSEGV sent to it) leaves run.json "running" with its pid; the next run names the dead
  # process and moves the JVM's crash log (./clpipe sets -XX:ErrorFile) into the run folder.
  ./clpipe run pipelines/convert-folder.yaml --input data/photos --out "$work/crash" --set batch=1 --set workers=1 >"$work/crash.log" 2>&1 &
  for _ in $(seq 1 100); do [ -n "$(find "$work/crash" -name completed.txt -size +0 2>/dev/null)" ] && break; sleep 0.2; done
  crashed=$(ls -d "$work"/crash/convert-folder-* | head -1)
  cpid=$(sed -n 's/^  "pid" : \([0-9]*\),$/\1/p' "$crashed/run.json")
  kill -SEGV "$cpid"; wait
  check "a crashed run is reported by the next --resume, with its JVM crash log moved in" 0 \
    "pid $cpid\) died while running; its JVM crash log: $crashed/hs_err_pid$cpid.log" -- \
    ./clpipe run pipelines/convert-folder.yaml --input data/photos --set batch=1 --set workers=1 --resume "$crashed"
  check "... and recorded in run.json" 0 '"previous_process" : ".*died while running' -- cat "$crashed/run.json"
fi

# The issue's "done when": folder-train.yaml on a user's own labelled folder (two classes of colour
# photos of any size, made from data/photos) writes the model, curves, confusion matrix and predictions.
if [ -d data/photos ]; then
  own="$work/own-photos"
  mkdir -p "$own/chessboard" "$own/scene"
  find data/photos \( -name 'left[0-9]*.jpg' -o -name 'right[0-9]*.jpg' \) -exec cp {} "$own/chessboard/" \;
  find data/photos -name '*.jpg' ! -name 'left*' ! -name 'right*' -exec cp {} "$own/scene/" \;
  check "folder-train.yaml on a folder of colour photos: model, curves, confusion matrix, a prediction per test image" 0 "^all there$" -- \
    bash -c './clpipe run pipelines/folder-train.yaml --input "$0" --out "$0-runs" --set "stages[train].batch=8" --set "stages[train].epochs=2" >"$0.log" 2>&1 \
      && cd "$0"-runs/folder-train-* && ls checkpoints/epoch-0002/index.json loss.png accuracy.png confusion.png predictions.jsonl >/dev/null \
      && [ "$(wc -l < predictions.jsonl)" = "$(sed -n "s/^ *\"test_images\" : \([0-9]*\),*$/\1/p" metrics.json)" ] \
      && grep -q "\"truth\":\"scene\"" predictions.jsonl && echo "all there" || tail -5 "$0.log"' "$own"
fi

# Plug-ins: the example's stage type and java-op from --plugins; Aparapi's Java fallback refused (exit 3) or allowed.
bash examples/plugin/build.sh target/clpipe.jar "$work/plugins" >/dev/null
mkdir -p "$work/few" && cp data/photos/skimage/astronaut.png data/photos/skimage/coffee.png "$work/few/"
printf 'class Dark { public static void main(String[] a) throws Exception {\n  javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 30, 1), "png", new java.io.File(a[0])); } }\n' >"$work/Dark.java"
java "$work/Dark.java" "$work/few/dark.png" # all black: drop-dark drops it
check "validate sees plug-in stage types" 0 "bright \(drop-dark\)" -- ./clpipe validate examples/plugin/pipeline.yaml --plugins "$work/plugins"
check "the example plug-in pipeline runs its java-op on the device" 0 'java-op gamma: org.example.clpipe.Gamma on 0:0 ' -- \
  ./clpipe run examples/plugin/pipeline.yaml --plugins "$work/plugins" --input "$work/few" --out "$work/plugin-runs"
check "... drop-dark dropped the black image, the two photos were written" 0 "^2$" -- bash -c 'find "$0"/*/images -name "*.png" | wc -l' "$work/plugin-runs"
mkdir -p "$work/op-src/demo" "$work/op-jar"
printf 'package demo;\npublic final class Boxed extends dev.clpipe.javaop.PixelOp {\n  @Override public void run() { int i = getGlobalId(); out[i] = new float[] {in[i]}[0]; }\n}\n' \
  >"$work/op-src/demo/Boxed.java"
javac -g -cp target/clpipe.jar -d "$work/op-src" "$work/op-src/demo/Boxed.java" && jar cf "$work/op-jar/ops.jar" -C "$work/op-src" demo/Boxed.class
printf 'name: boxed\nstages:\n  - {type: image-folder}\n  - {type: decode}\n  - {type: java-op, class: demo.Boxed, allow_java_fallback: ALLOW}\n' >"$work/boxed.yaml"
sed 's/ALLOW/false/' "$work/boxed.yaml" >"$work/boxed-refused.yaml"
sed 's/ALLOW/true/' "$work/boxed.yaml" >"$work/boxed-allowed.yaml"
check "a java-op Aparapi runs on its Java thread pool: exit 3 naming the class and why, no stack trace" 3 \
  "^error: demo.Boxed did not run on 0:0 .* but on Aparapi's Java thread pool \(.+\); .*allow_java_fallback: true$" -- \
  bash -c 'out=$(./clpipe run "$0" --plugins "$1" --input "$2" --out "$3" 2>&1); code=$?; echo "$out"
           if grep -qE "^[[:space:]]+at |Exception in thread|^Caused by" <<<"$out"; then exit 99; fi; exit $code' \
  "$work/boxed-refused.yaml" "$work/op-jar" "$work/few" "$work/plugin-runs"
check "... allowed by the YAML: runs, and says so" 0 "fell back to Aparapi's Java thread pool \(allowed\)" -- \
  ./clpipe run "$work/boxed-allowed.yaml" --plugins "$work/op-jar" --input "$work/few" --out "$work/plugin-runs"

mkdir -p "$work/empty"
check "an empty input folder: exit 4, one line naming it, no timing table" 4 "^error: no image file \(bmp, gif, jpeg, jpg, png\) under .*empty$" -- \
  bash -c './clpipe run pipelines/convert-folder.yaml --input "$0" --out "$0/../runs-empty" 2>&1 | grep -v "run folder"; exit ${PIPESTATUS[0]}' "$work/empty"
px="$work/one-pixel"
mkdir -p "$px"
for i in $(seq 10 25); do echo "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNocFAAAAIkAOGrWWInAAAAAElFTkSuQmCC" | base64 -d > "$px/p$i.png"; done
check "out of memory in a stage: the run fails with advice instead of hanging" 1 "out of memory .*CLPIPE_JAVA_OPTS=-Xmx" -- \
  env CLPIPE_JAVA_OPTS=-Xmx256m timeout 120 ./clpipe run pipelines/augment-folder.yaml --input "$px" --out "$work/runs-oom" \
  --set 'stages[augment].output_size=[4096,4096]' --set 'stages[augment].ops.crop.size=4096'
check "... run.json says failed with the reason" 0 '"error" : "stage augment: out of memory' -- bash -c 'cat "$0"/*/run.json' "$work/runs-oom"

# ONNX (docs/onnx.md): summary and run of a PyTorch export (its values: OnnxGoldenTest).
onnx=src/test/resources/nn/onnx
check "model summary of a PyTorch ONNX export" 0 "^12 nodes, 61706 weights" -- ./clpipe model summary $onnx/lenet5.onnx
check "model run of an ONNX model writes [N, 10]" 0 "wrote .*y.npy \\(2 samples\\)" -- ./clpipe model run $onnx/lenet5.onnx --input $onnx/lenet5.input.npy --output "$work/y.npy" --device cpu

# kill -9 at random moments, resume until done: outputs equal an uninterrupted run's (prints its own lines)
if bash src/test/sh/chaos-check.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL  chaos-check"; fi

echo "cli-check: $passed passed, $failed failed"
[ "$failed" = 0 ]
