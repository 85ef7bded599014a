#!/usr/bin/env bash
# Training throughput of the same work on one machine's engines: LeNet-5 on MNIST cut by TRAIN_CUT (default the
# cut of make spark-cluster-check: 512 images, 2 epochs of batch 64 = 16 steps), with `clpipe run` on one device
# and on two sub-devices of the PoCL device, and as a Spark barrier job in local[1] and local[2] (one replica per
# task). Prints one row per engine: whole command seconds, training images/s (metrics.json: training time only),
# and for Spark the all-gather of one step (median) and compute per step. The 2-worker standalone cluster row is
# printed by `make spark-cluster-check` ("scaling" line) on the same work. Runs in target/train-scaling.
set -u
cd "$(dirname "$0")/../../.."
S=$PWD/target/train-scaling
rm -rf "$S" && mkdir -p "$S/tmp"
cut=${TRAIN_CUT:-"--set stages[train].limit_train=512 --set stages[train].limit_test=500 --set stages[train].epochs=2 --set stages[train].batch=64 --set stages[train].rebalance_every=0"}
java_home=""
for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$j/release" 2>/dev/null)
  if [ "${v:-0}" -ge 17 ] && [ "${v:-0}" -le 21 ]; then java_home=$j; break; fi
done
[ -n "$java_home" ] || { echo "train-scaling: needs a JDK 17-21 for Spark 4.0" >&2; exit 1; }
[ -s target/spark.cp ] && [ ! pom.xml -nt target/spark.cp ] \
  || mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/spark.cp >/dev/null
opens=$(sed -n 's:.*<argLine.spark>\(.*\)</argLine.spark>.*:\1:p' pom.xml)

row() {  # NAME OUT SECONDS: one table row from the run's metrics.json
  local m; m=$(ls "$2"/*/metrics.json 2>/dev/null | head -1)
  [ -n "$m" ] || { printf '%-28s failed (see %s.log)\n' "$1" "$2"; return; }
  jq -r --arg n "$1" --arg s "$3" '.stages.train as $t | [$n, $s, ($t.training.images_per_s | floor),
      ($t.data_parallel.group.allgather_ms_median // "-"), ($t.data_parallel.group.compute_ms_per_step // "-")]
      | @tsv' "$m" | awk -F'\t' '{ printf "%-28s %8.1f s %10s img/s %14s %14s\n", $1, $2, $3,
      ($4 == "-" ? "-" : sprintf("%.1f ms", $4)), ($5 == "-" ? "-" : sprintf("%.1f ms", $5)) }'
}
timed() {  # NAME OUT CMD...: runs CMD, prints its row
  local name=$1 out=$2; shift 2
  local t0; t0=$(date +%s.%N)
  "$@" --out "$out" $cut >"$out.log" 2>&1
  row "$name" "$out" "$(echo "$(date +%s.%N) - $t0" | bc)"
}
spark() {  # MASTER REPLICAS
  LD_PRELOAD=$java_home/lib/libjsig.so "$java_home/bin/java" $opens -Dspark.master="$1" -Dspark.ui.enabled=false -Djava.io.tmpdir="$S/tmp" \
    -cp "$(cat target/spark.cp):target/clpipe.jar" dev.clpipe.spark.SparkPipeline pipelines/mnist-lenet5.yaml --replicas "$2" "${@:3}"
}
echo "load: $(uptime | sed 's/.*load average: //')"
printf '%-28s %10s %16s %14s %14s\n' engine command "train images/s" "all-gather/step" "compute/step"
JAVA_HOME=$java_home timed "clpipe run, 1 device" "$S/one-1" ./clpipe run pipelines/mnist-lenet5.yaml --device 0:0
POCL_DEVICES=pthread POCL_MAX_PTHREAD_COUNT=2 JAVA_HOME=$java_home timed "clpipe run, 2 sub-devices" "$S/one-2" \
  ./clpipe run pipelines/mnist-lenet5.yaml --device 0:0/2
timed "Spark local[1], 1 replica" "$S/local-1" spark 'local[1]' 1
timed "Spark local[2], 2 replicas" "$S/local-2" spark 'local[2]' 2
echo "load: $(uptime | sed 's/.*load average: //')"
