#!/usr/bin/env bash
# Counts native crashes of the issue-16 executor crash (SIGSEGV in ld-linux under clGetPlatformIDs):
# JOCL's native library file in java.io.tmpdir rewritten in place while a JVM has it loaded.
#   rewrite: one JVM (dev.clpipe.cl.NativeLibraryRewrite) loads OpenCL and runs a kernel; then every
#            libJOCL*.so in its tmpdir is rewritten in place (what a second JVM's JOCL does when both
#            find the shared file missing at once); then the JVM loads a library by name.
#   race:    JVMS (default 3) JVMs wait at a barrier, then load OpenCL at once on a fresh, shared
#            tmpdir (as Spark executors do); each runs a kernel and loads a library by name.
# Usage: jocl-rewrite-repro.sh rewrite|race [RUNS]. Needs `mvn test-compile` and target/clpipe.jar.
# `make crash-repro` runs both.
set -uo pipefail
mode=${1:-rewrite} runs=${2:-10}
cd "$(dirname "$0")/../../.."
java=${JAVA:-$(command -v java)}
jsig="$(dirname "$(dirname "$(readlink -f "$java")")")/lib/libjsig.so"
out=${REPRO_OUT:-$PWD/target/jocl-repro} && rm -rf "$out" && mkdir -p "$out"
# A private copy of the classes (CLPIPE_JAR/TEST_CLASSES pick another build), so a rebuild cannot interfere.
cp -r "${TEST_CLASSES:-target/test-classes}" "$out/classes" && cp "${CLPIPE_JAR:-target/clpipe.jar}" "$out/clpipe.jar"
cp="$out/classes:$out/clpipe.jar"
lib=$(unzip -Z1 "$out/clpipe.jar" | grep -m1 'lib/libJOCL_.*-linux-x86_64\.so$')
unzip -p "$out/clpipe.jar" "$lib" > "$out/jocl.so"
export POCL_CACHE_DIR=${POCL_CACHE_DIR:-$PWD/target/pocl-cache}
mkdir -p "$POCL_CACHE_DIR"
crashed=0 failed=0 ok=0
verdict() {   # exit code of one JVM
  if [ "$1" -ge 128 ]; then crashed=$((crashed + 1)); elif [ "$1" -ne 0 ]; then failed=$((failed + 1)); else ok=$((ok + 1)); fi
}
for i in $(seq 1 "$runs"); do
  tmp=$out/tmp-$i && mkdir -p "$tmp"
  run=(env LD_PRELOAD="$jsig" "$java" -Djava.io.tmpdir="$tmp" -XX:ErrorFile="$out/hs_err-$i-%p.log" -cp "$cp" dev.clpipe.cl.NativeLibraryRewrite)
  if [ "$mode" = rewrite ]; then
    fifo=$out/in-$i && mkfifo "$fifo"
    "${run[@]}" <"$fifo" >"$out/run-$i.log" 2>&1 &
    pid=$!
    exec 3>"$fifo"
    for _ in $(seq 600); do grep -q '^mapped' "$out/run-$i.log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
    rewritten=0
    for f in "$tmp"/libJOCL*.so; do [ -f "$f" ] && cat "$out/jocl.so" > "$f" && rewritten=$((rewritten + 1)); done
    echo "rewrote $rewritten file(s)" > "$out/run-$i.rewrote"
    echo go >&3; exec 3>&-
    wait $pid; verdict $?
  else
    jvms=${JVMS:-3} pids=()
    for j in $(seq 1 "$jvms"); do
      "${run[@]:0:3}" -Dbarrier="$tmp/go" "${run[@]:3}" </dev/null >"$out/run-$i-$j.log" 2>&1 & pids+=($!)
    done
    for _ in $(seq 600); do [ "$(grep -l '^waiting' "$out"/run-$i-*.log 2>/dev/null | wc -l)" -ge "$jvms" ] && break; sleep 0.1; done
    touch "$tmp/go"
    for p in "${pids[@]}"; do wait "$p"; verdict $?; done
  fi
done
[ "$mode" = rewrite ] && echo "files rewritten in place per run: $(cat "$out"/run-*.rewrote | sort | uniq -c | tr -s ' ' | paste -sd,)"
echo "jocl-rewrite-repro $mode: $runs runs, $((crashed + failed + ok)) JVMs: $crashed killed by a signal, $failed failed, $ok survived (logs in $out)"
