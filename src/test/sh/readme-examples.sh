#!/usr/bin/env bash
# Every example command shown in README.md and every example in a `--help` text, run through the real
# launcher: each must exit 0 (the documented code of an example that works) with no stack trace.
# Prints one line per command and a closing "N passed, M failed" line.
#
# What is taken from README.md: `./clpipe ...` / `clpipe ...` lines of code blocks and inline code spans
# whose second word is a command. Synopses (with FILE, DIR, SPEC, K=V, [..] or "..." placeholders) are not
# runnable: for them every --option they show must be listed by that command's --help.
# Runnable examples are run as shown, with these documented changes only:
#   - `run` gets `--out $work/runs` (the examples write into the test's temporary folder, not runs/);
#   - the example plug-in is built first (make example-plugin), as the README says;
#   - placeholders of a concrete example are filled: PATH/TO/PHOTOS -> data/photos/visp (the pipeline's
#     own default, as the README says), runs/NAME-YYYYMMDD-HHMMSS -> the NAME run this script made before;
#   - long-running examples get the small overrides of `overrides()` below (fewer images, steps,
#     iterations), and `bench` gets --quick; nothing else changes.
# From the --help texts: every `--set KEY=VALUE` example must pass `validate` on pipelines/mnist-lenet5.yaml,
# every file an "e.g." names must exist, and every 'clpipe COMMAND' quoted must be a command.
set -u
cd "$(dirname "$0")/../../.."
work=$(mktemp -d "${TMPDIR:-/tmp}/clpipe-readme.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CLPIPE_CACHE="${CLPIPE_CACHE:-$PWD/target/clpipe-cache}" # decoded-sample caches survive between runs of this script
passed=0 failed=0
commands="run validate devices kernels bench model"

ok() { passed=$((passed + 1)); echo "ok    $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }

# The small overrides that keep a long-running example to seconds (by pipeline file).
overrides() {
  case "$1" in
    *mnist-lenet5.yaml) echo "--set stages[train].limit_train=512 --set stages[train].limit_test=128 --set stages[train].epochs=1 --set stages[train].batch=64" ;;
    *fashion-transfer-onnx.yaml) echo "--set stages[train].limit_train=512 --set stages[train].limit_test=128 --set stages[train].epochs=1" ;;
    *folder-train.yaml) echo "--set stages[train].limit_train=512 --set stages[train].limit_test=128 --set stages[train].epochs=1" ;;
    *folder-predict.yaml) echo "--set stages[read].shard=0/500" ;;
    *mnist-triplet.yaml) echo "--set stages[embed].epochs=1 --set stages[embed].limit_train=1024 --set stages[embed].limit_test=512 --set stages[embed].validation=200 --set stages[embed].pairs=200 --set stages[embed].trials=100" ;;
    *folder-detect-train.yaml) echo "--set stages[detect].epochs=1" ;;
    *digits-detect.yaml) echo "--set stages[detect].scenes.train=64 --set stages[detect].scenes.test=16 --set stages[detect].epochs=1" ;;
    *sliding-window.yaml) echo "--set stages[sliding].limit_train=512 --set stages[sliding].repeats=1" ;;
    *style-transfer.yaml) echo "--set stages[style].iterations=3 --set stages[style].snapshots=2 --set stages[style].size=64" ;;
    *detect-faces.yaml) echo "--set stages[read].shard=0/3" ;;
    *examples/plugin/pipeline.yaml) echo "--set stages[read].shard=0/8" ;;
  esac
}

# README: code-block lines and inline code spans that start with ./clpipe or clpipe and a command word.
extract() {
  { grep -noE '`(\./)?clpipe [^`]+`' README.md | tr -d '`'
    grep -nE '^\s*(\./)?clpipe ' README.md; } |
    sort -t: -k1,1n | cut -d: -f2- |
    sed -E 's/[[:space:]]+#.*$//; s/^[[:space:]]+//; s/[[:space:]]+$//; s#^\./##' |
    awk -v cmds="$commands --help" '{ split(cmds, c, " "); for (i in c) if ($2 == c[i]) { print; break } }' | awk '!seen[$0]++' 
}

# A synopsis shows placeholders (FILE, DIR, SPEC, SUITE, K=V, RUN_DIR, COMMAND, " [optional]", "..."); a bare
# "clpipe run" or "clpipe validate" names the command in prose.
is_synopsis() {
  grep -qE '(FILE|DIR\b|SPEC|SUITE|K=V|RUN_DIR|COMMAND|(^| )\[|\.\.\.)' <<<"$1" || grep -qxE 'clpipe (run|validate)' <<<"$1"
}

run_example() {
  local shown=$1 line=$1
  line=${line//PATH\/TO\/PHOTOS/data/photos/visp}
  if [[ $line =~ runs/([a-z0-9-]+)-YYYYMMDD-HHMMSS ]]; then
    local made
    made=$(ls -d "$work/runs/${BASH_REMATCH[1]}"-* 2>/dev/null | tail -1)
    [ -n "$made" ] || { fail "$shown (no earlier ${BASH_REMATCH[1]} run to fill in)"; return; }
    line=${line//runs\/${BASH_REMATCH[1]}-YYYYMMDD-HHMMSS/$made}
  fi
  read -r -a argv <<<"${line#clpipe }"
  argv=("${argv[@]//\'/}") # README quotes --set values for the shell
  local extra=()
  if [ "${argv[0]}" = run ]; then
    read -r -a extra <<<"--out $work/runs $(overrides "${argv[1]}")"
  elif [ "${argv[0]}" = bench ]; then
    extra=(--quick)
  fi
  timeout 900 ./clpipe "${argv[@]}" "${extra[@]}" >"$work/out" 2>&1
  local code=$?
  if [ "$code" = 0 ] && ! grep -qE 'Exception in thread|^[[:space:]]+at [a-z]|^Caused by' "$work/out"; then
    ok "$shown${extra[*]:+   [+ ${extra[*]}]}"
  else
    fail "$shown (exit $code${extra[*]:+, with ${extra[*]}})"; tail -15 "$work/out" | sed 's/^/      /'
  fi
}

check_synopsis() {
  local shown=$1 cmd
  cmd=$(awk '{print $2}' <<<"$shown")
  ./clpipe "$cmd" --help >"$work/help" 2>&1 || { fail "$shown (clpipe $cmd --help failed)"; return; }
  local missing=""
  for opt in $(grep -oE -- '--[a-z][a-z-]+' <<<"$shown"); do
    grep -qE -- "$opt\b" "$work/help" || missing="$missing $opt"
  done
  if [ -z "$missing" ]; then ok "synopsis: $shown"; else fail "synopsis: $shown (not in 'clpipe $cmd --help':$missing)"; fi
}

# `make example-plugin`, which the README's plug-in example runs after.
bash examples/plugin/build.sh target/clpipe.jar target/plugins >/dev/null

while IFS= read -r example; do
  if is_synopsis "$example"; then check_synopsis "$example"; else run_example "$example"; fi
done < <(extract)

# --help texts: the overview and every command's.
./clpipe --help >"$work/help-all" 2>&1
for cmd in $commands; do ./clpipe "$cmd" --help >>"$work/help-all" 2>&1; done
while IFS= read -r kv; do
  if ./clpipe validate pipelines/mnist-lenet5.yaml --set "$kv" >"$work/out" 2>&1; then ok "--help example --set $kv"; else fail "--help example --set $kv: $(grep error "$work/out")"; fi
done < <(grep -oE -- '--set [^ ,)]+' "$work/help-all" | awk '{print $2}' | grep -v '^<' | sort -u)
while IFS= read -r file; do
  if [ -e "$file" ]; then ok "--help names $file, which exists"; else fail "--help names $file, which does not exist"; fi
done < <(tr -s '\n ' '  ' <"$work/help-all" | grep -oE 'e\.g\. [a-z_./-]+\.(ya?ml|onnx)' | awk '{print $2}' | sort -u) # help wraps lines
while IFS= read -r cmd; do
  if grep -qw "$cmd" <<<"$commands"; then ok "--help quotes 'clpipe $cmd'"; else fail "--help quotes 'clpipe $cmd', which is no command"; fi
done < <(grep -oE "'clpipe [a-z]+" "$work/help-all" | awk '{print $2}' | sort -u)

echo "readme-examples: $passed passed, $failed failed"
[ "$failed" = 0 ]
