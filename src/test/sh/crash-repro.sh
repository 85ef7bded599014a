#!/usr/bin/env bash
# Counts native crashes of the issue-16 reproducer (dev.clpipe.cl.SignalHandlerStress) without and
# with signal chaining (libjsig.so of the same JDK preloaded). Usage: crash-repro.sh [RUNS] [SECONDS]
# Needs `mvn test-compile` and target/clpipe.jar. JAVA picks the JDK (default: java on PATH).
set -uo pipefail
runs=${1:-10} seconds=${2:-5}
java=${JAVA:-$(command -v java)}
jsig="$(dirname "$(dirname "$(readlink -f "$java")")")/lib/libjsig.so"
[ -f "$jsig" ] || { echo "crash-repro: $jsig not found (a JDK ships lib/libjsig.so)" >&2; exit 1; }
cp="$PWD/target/test-classes:$PWD/target/clpipe.jar"
export POCL_CACHE_DIR=${POCL_CACHE_DIR:-$PWD/target/pocl-cache}
mkdir -p "$POCL_CACHE_DIR" target/crash-repro
for mode in off on; do
  crashed=0 broken=0 ok=0
  for i in $(seq 1 "$runs"); do
    log=target/crash-repro/$(basename "$(dirname "$(dirname "$(readlink -f "$java")")")")-$mode-$i.log
    if [ $mode = on ]; then
      (cd target/crash-repro && LD_PRELOAD="$jsig" "$java" -cp "$cp" dev.clpipe.cl.SignalHandlerStress "$seconds") >"$log" 2>&1
    else
      (cd target/crash-repro && env -u LD_PRELOAD "$java" -cp "$cp" dev.clpipe.cl.SignalHandlerStress "$seconds") >"$log" 2>&1
    fi
    rc=$?
    if [ $rc -ge 128 ]; then crashed=$((crashed + 1)); elif [ $rc -ne 0 ]; then broken=$((broken + 1)); else ok=$((ok + 1)); fi
  done
  echo "crash-repro: $("$java" -version 2>&1 | head -1), signal chaining $mode: $runs runs of $seconds s:" \
       "$crashed killed by a signal, $broken with failed kernel builds, $ok clean"
done
