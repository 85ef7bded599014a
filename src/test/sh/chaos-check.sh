#!/usr/bin/env bash
# Chaos check: kill -9 real clpipe processes at random moments and resume until done.
#  1. a folder pipeline (convert-folder.yaml over a small copy of data/photos, plus awkward names:
#     a newline, backslashes, b.jpg beside b.jpg.png, a FIFO, invalid UTF-8) killed at KILLS moments
#     spread over its run; every chain of resumes must end ok with outputs, completed.txt and
#     skipped.csv equal to an uninterrupted run's, and no temp or lock file left;
#  2. a small training pipeline (LeNet-5, MNIST) killed at TRAIN_KILLS moments: the final
#     checkpoint must be byte-identical to an uninterrupted run's;
#  3. the same for training on a labelled folder (two classes of photos from data/photos, a cold
#     decoded-sample cache of its own, mirror + crop augmentation on the device), TRAIN_KILLS kills;
#  4. the same for detect-train on an annotated folder (generated digit scenes exported as PNG + YOLO
#     labels, letterboxed into a tiny detector's 48x48 input, a cold cache, crop moving the boxes).
# Usage: bash src/test/sh/chaos-check.sh [KILLS [TRAIN_KILLS]]   (defaults 20 and 5; seed CHAOS_SEED)
set -u
cd "$(dirname "$0")/../../.."
kills_wanted=${1:-20}
train_kills_wanted=${2:-5}
seed=${CHAOS_SEED:-$RANDOM}
work=$(mktemp -d "${TMPDIR:-/tmp}/clpipe-chaos.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Compiled kernels persist across checks (target/), so resumes do not spend their time compiling.
export CLPIPE_CACHE="${CLPIPE_CACHE:-$PWD/target/chaos-kernel-cache}"
t_start=$(date +%s)
failed=0
fail() { echo "FAIL  $*"; failed=$((failed + 1)); }
# rand N LO HI: the N-th number of the seeded stream, uniform in [LO, HI)
rand() { awk -v s="$seed" -v n="$1" -v lo="$2" -v hi="$3" 'BEGIN { srand(s * 7919 + n); printf "%.2f", lo + (hi - lo) * rand() }'; }
draws=0
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
stray() { find "$1" \( -name '.*.tmp' -o -name '.lock' -o -name '.clpipe-reserve' \) | sed 's/^/      stray: /'; }

run_folder() { local f; for f in "$1"/*/; do [ -f "$f/run.json" ] && { echo "${f%/}"; return; }; done; }

# kill_chain NAME DURATION -- COMMAND...: runs COMMAND (it must accept --out DIR / --resume DIR),
# kills it at random moments in [0.2, DURATION) s, resumes, until it ends by itself or the kill
# budget is spent (then one last resume runs to the end). Sets chain_dir; adds to $kills.
kill_chain() {
  local name=$1 duration=$2; shift 3
  local out="$work/$name" code delay pid part=0
  mkdir -p "$out"
  chain_dir=""
  while true; do
    part=$((part + 1))
    if [ -z "$chain_dir" ]; then "$@" --out "$out" >"$work/$name.log.$part" 2>&1 &
    else "$@" --resume "$chain_dir" >"$work/$name.log.$part" 2>&1 & fi
    pid=$!
    if [ "$kills" -lt "$budget" ]; then
      draws=$((draws + 1))
      delay=$(rand "$draws" 0.2 "$duration")
      sleep "$delay"
      if kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null
        kills=$((kills + 1))
        if [ -z "$chain_dir" ]; then
          chain_dir=$(run_folder "$out")
          # killed before run.json existed: nothing to resume, a new run starts afresh
          [ -z "$chain_dir" ] && rm -rf "${out:?}"/*
        fi
        local progress="no run folder yet"
        [ -n "$chain_dir" ] && progress="$(cat "$chain_dir/completed.txt" 2>/dev/null | wc -l) items, $(ls "$chain_dir/checkpoints" 2>/dev/null | wc -l) checkpoints done"
        echo "      kill $kills at ${delay}s of part $part: $progress"
        continue
      fi
    fi
    wait "$pid"; code=$?
    [ -z "$chain_dir" ] && chain_dir=$(run_folder "$out")
    if [ "$code" != 0 ]; then fail "$name part $part exited $code"; grep -v '^\s*at ' "$work/$name.log.$part" | sed 's/^/      /' | tail -5; fi
    return
  done
}

# chaos NAME KILLS DURATION VERIFY -- COMMAND...: chains of kill_chain until KILLS kills have landed;
# each chain must end ok, pass VERIFY RUN_DIR and leave no temp or lock file.
chaos() {
  local name=$1 budget_wanted=$2 duration=$3 verify=$4 t0 chains=0 ok_chains=0 d; shift 5
  kills=0 budget=$budget_wanted
  t0=$(now)
  while [ "$kills" -lt "$budget" ]; do
    chains=$((chains + 1))
    kill_chain "$name$chains" "$duration" -- "$@"
    d=$chain_dir
    grep -q '"status" : "ok"' "$d/run.json" && "$verify" "$d" && [ -z "$(stray "$d")" ] && ok_chains=$((ok_chains + 1))
    [ -z "$(stray "$d")" ] || { fail "$d: stray files"; stray "$d"; }
    grep -q '"status" : "ok"' "$d/run.json" || fail "$d: run.json not ok"
  done
  echo "      $name: $kills kills over $chains chains in $(elapsed "$t0")s; $ok_chains/$chains chains ended ok and identical"
  [ "$ok_chains" = "$chains" ] && echo "ok    chaos $name: $kills/$budget_wanted kills, each resumed until done, outputs byte-identical to an uninterrupted run"
}

# ---------------------------------------------------------------- 1. folder pipeline
if [ -d data/photos ]; then
  in="$work/in"
  mkdir -p "$in/darknet" "$in/opencv" "$in/sub"
  cp data/photos/darknet/{dog,eagle,giraffe,horses,kite,person}.jpg "$in/darknet/"
  for f in $(ls data/photos/opencv | grep -E '\.(png|jpg)$' | head -6); do cp "data/photos/opencv/$f" "$in/opencv/"; done
  cp data/photos/darknet/dog.jpg "$in/dog.jpg"
  cp data/photos/opencv/apple.jpg "$in/dog.jpg.png" 2>/dev/null || cp data/photos/darknet/eagle.jpg "$in/dog.jpg.png"
  cp data/photos/darknet/kite.jpg "$in/new"$'\n'"line.jpg"
  cp data/photos/darknet/eagle.jpg "$in/a\\..\\..\\evil.jpg"
  cp data/photos/darknet/horses.jpg "$in/sub\\y.jpg"
  cp data/photos/darknet/person.jpg "$in/sub/y.jpg"
  cp data/photos/darknet/giraffe.jpg "$in/$(printf 'bad\xffname.jpg')"
  printf 'not an image' >"$in/notes.png"
  mkfifo "$in/fifo.jpg"
  run=(./clpipe run pipelines/convert-folder.yaml --input "$in" --set batch=2)

  t0=$(now)
  "${run[@]}" --out "$work/ref" >"$work/ref.log" 2>&1 || { fail "uninterrupted folder run"; grep -v '^\s*at ' "$work/ref.log" | tail -5; }
  duration=$(elapsed "$t0")
  ref=$(ls -d "$work"/ref/*/ | head -1)
  echo "      uninterrupted folder run: ${duration}s, $(find "$ref/images" -type f | wc -l) images written, $(($(grep -c '' "$ref/skipped.csv") - 1)) skipped rows"

  # A run folder is locked while a run holds it: a second process exits 2 naming the holder.
  # The holder is paused (SIGSTOP) once its run.json exists, so it cannot end first.
  "${run[@]}" --out "$work/locked" >"$work/locked.log" 2>&1 &
  holder=$!
  for _ in $(seq 1 600); do [ -n "$(run_folder "$work/locked")" ] && break; sleep 0.05; done
  kill -STOP "$holder"
  "${run[@]}" --resume "$(run_folder "$work/locked")" >"$work/second.log" 2>&1; code=$?
  if [ "$code" = 2 ] && grep -q "in use by another clpipe process (pid $holder, host" "$work/second.log"; then
    echo "ok    a second process on a held run folder exits 2 naming the holder (pid $holder)"
  else
    fail "second process on a held run folder: exit $code"; tail -3 "$work/second.log"
  fi
  kill -9 "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

  same_outputs() { # same_outputs RUN_DIR: what an uninterrupted run left
    local d=$1 bad=0
    diff -r "$ref/images" "$d/images" >"$work/diff" 2>&1 || { fail "$d: outputs differ"; head -5 "$work/diff"; bad=1; }
    cmp -s <(sort "$ref/completed.txt") <(sort "$d/completed.txt") || { fail "$d: completed.txt differs"; bad=1; }
    cmp -s <(sort "$ref/skipped.csv") <(sort "$d/skipped.csv") || { fail "$d: skipped.csv differs"; diff <(sort "$ref/skipped.csv") <(sort "$d/skipped.csv") | head -5; bad=1; }
    return $bad
  }
  chaos folder "$kills_wanted" "$duration" same_outputs -- "${run[@]}"
fi

# reference_run NAME -- COMMAND...: one uninterrupted training run; sets tref (its run folder), last (its
# final checkpoint) and duration (seconds), the reference same_weights compares with.
reference_run() {
  local name=$1 t0; shift 2
  t0=$(now)
  "$@" --out "$work/ref-$name" >"$work/ref-$name.log" 2>&1 || { fail "uninterrupted $name run"; tail -5 "$work/ref-$name.log"; }
  duration=$(elapsed "$t0")
  tref=$(ls -d "$work/ref-$name"/*/ | head -1)
  last=$(ls "$tref/checkpoints" | sort | tail -1)
  echo "      uninterrupted $name run: ${duration}s, final checkpoint $last"
}

same_weights() { # same_weights RUN_DIR: the uninterrupted run's ($tref) final checkpoint ($last), byte for byte
  local d=$1 bad=0 f
  [ "$(ls "$d/checkpoints" | sort | tail -1)" = "$last" ] || { fail "$d: last checkpoint differs"; return 1; }
  for f in $(cd "$tref/checkpoints/$last" && ls | grep -v '^index.json$'); do
    cmp -s "$tref/checkpoints/$last/$f" "$d/checkpoints/$last/$f" || { fail "$d: $f differs"; bad=1; }
  done
  return $bad
}

# ---------------------------------------------------------------- 2. training pipeline
if [ -f data/mnist/train-images-idx3-ubyte ] || ls data/mnist/train-images* >/dev/null 2>&1; then
  here=$(pwd)
  cat >"$work/train.yaml" <<EOF
name: chaos-train
seed: 7
stages:
  - id: train
    type: train
    data: $here/data/mnist
    model: $here/pipelines/models/lenet5.yaml
    batch: 64
    epochs: 4
    limit_train: 1024
    limit_test: 128
    optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
    normalize: {mean: 0.1307, std: 0.3081}
EOF
  train=(./clpipe run "$work/train.yaml")
  reference_run training -- "${train[@]}"
  chaos training "$train_kills_wanted" "$duration" same_weights -- "${train[@]}"
fi

# ---------------------------------------------------------------- 3. training on a labelled folder
if [ -d data/photos ]; then
  here=$(pwd)
  mkdir -p "$work/own/chessboard" "$work/own/scene"
  find data/photos \( -name 'left[0-9]*.jpg' -o -name 'right[0-9]*.jpg' \) -exec cp {} "$work/own/chessboard/" \;
  find data/photos -name '*.jpg' ! -name 'left*' ! -name 'right*' -exec cp {} "$work/own/scene/" \;
  cat >"$work/folder-train.yaml" <<EOF
name: chaos-folder-train
seed: 3
stages:
  - id: train
    type: train
    data: $work/own
    cache: $work/sample-cache
    model: $here/pipelines/models/lenet5.yaml
    batch: 8
    epochs: 6
    augment: {mirror: true, crop: {size: 28, padding: 2}}
    optimizer: {type: sgd, lr: 0.02, momentum: 0.9}
EOF
  train=(./clpipe run "$work/folder-train.yaml")
  reference_run folder-training -- "${train[@]}"
  rm -rf "$work/sample-cache" # the chains start cold too: kills land while the cache is written
  chaos folder-training "$train_kills_wanted" "$duration" same_weights -- "${train[@]}"
fi

# ---------------------------------------------------------------- 4. detect-train on an annotated folder
if [ -f data/mnist/train-images-idx3-ubyte ] || ls data/mnist/train-images* >/dev/null 2>&1; then
  java -cp target/clpipe.jar dev.clpipe.detect.scenes.SceneFolders data/mnist "$work/scenes" yolo 128 32 3 >"$work/scenes.log" 2>&1 \
    || { fail "exporting digit scenes"; tail -3 "$work/scenes.log"; }
  cat >"$work/detect-train.yaml" <<EOF
name: chaos-detect-train
seed: 3
stages:
  - id: detect
    type: detect-train
    data: $work/scenes
    cache: $work/detect-cache
    model: $PWD/src/test/resources/detect/tiny-yolo.yaml
    augment: {crop: {size: 48, padding: 4}}
    batch: 16
    epochs: 3
    optimizer: {type: adam, lr: 0.003}
    check_every: 4
EOF
  train=(./clpipe run "$work/detect-train.yaml")
  reference_run detect-training -- "${train[@]}"
  rm -rf "$work/detect-cache" # cold again: kills land while the cache is written too
  chaos detect-training "$train_kills_wanted" "$duration" same_weights -- "${train[@]}"
fi

echo "chaos-check: seed $seed, $(( $(date +%s) - t_start ))s, $failed failed"
[ "$failed" = 0 ]
