#!/usr/bin/env bash
# Runs one pipeline N times and counts how each run ended (native crashes are exit 139 = SIGSEGV,
# 134 = SIGABRT, 135 = SIGBUS). Usage: repeat-runs.sh N OUT_DIR PIPELINE.yaml [clpipe run options]
# CLPIPE (default ./clpipe) is the command that starts clpipe, e.g. "java -jar target/clpipe.jar"
# to measure without the launcher's signal chaining. COLD=1 gives every run empty kernel caches
# (CLPIPE_CACHE, POCL_CACHE_DIR), so each run compiles all its kernels with PoCL's LLVM again.
set -uo pipefail
n=$1 out=$2 pipeline=$3
shift 3
clpipe=${CLPIPE:-./clpipe}
mkdir -p "$out"
declare -A codes=()
for i in $(seq 1 "$n"); do
  start=$(date +%s)
  if [ "${COLD:-0}" = 1 ]; then
    rm -rf "$out/cache" && mkdir -p "$out/cache/clpipe" "$out/cache/pocl"
    CLPIPE_CACHE="$out/cache/clpipe" POCL_CACHE_DIR="$out/cache/pocl" $clpipe run "$pipeline" --out "$out/runs" -q "$@" >"$out/run-$i.log" 2>&1
  else
    $clpipe run "$pipeline" --out "$out/runs" -q "$@" >"$out/run-$i.log" 2>&1
  fi
  rc=$?
  codes[$rc]=$(( ${codes[$rc]:-0} + 1 ))
  echo "run $i/$n $(basename "$pipeline"): exit $rc after $(( $(date +%s) - start )) s"
done
summary="$(basename "$pipeline") $n runs:"
for rc in "${!codes[@]}"; do summary="$summary exit $rc x${codes[$rc]};"; done
echo "$summary crashed (exit >= 128): $(for rc in "${!codes[@]}"; do [ "$rc" -ge 128 ] && echo "${codes[$rc]}"; done | paste -sd+ | bc 2>/dev/null || echo 0)"
