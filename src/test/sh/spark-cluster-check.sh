#!/usr/bin/env bash
# A real Spark standalone cluster on this machine: a master and two 1-core workers started from the
# Spark jars Maven already fetched (no download), one application whose executors run in their own
# JVMs (libjsig preloaded, as ./clpipe does). Every pipeline SparkPlan accepts runs on it and its
# outputs must equal `clpipe run`'s byte for byte; during one job an executor JVM is killed and the
# job must still produce every output once. Logs, work dirs and runs stay in target/spark-cluster.
# The cluster is stopped whatever happens. Prints one line per check and "N passed, M failed".
set -u
cd "$(dirname "$0")/../../.."
root=$PWD
S=$root/target/spark-cluster
t_start=$(date +%s.%N)
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok    $*"; }
bad() { failed=$((failed + 1)); echo "FAIL  $*"; }
stamp() { printf '%-34s %5.1f s\n' "$1" "$(echo "$(date +%s.%N) - $t_start" | bc)"; }

# Spark 4.0 runs on Java 17-21 (it fails on 25: "getSubject is not supported"), so pick one of those.
java_home=""
for j in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" /usr/lib/jvm/*; do
  [ -n "$j" ] && [ -x "$j/bin/java" ] || continue
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$j/release" 2>/dev/null)
  if [ "${v:-0}" -ge 17 ] && [ "${v:-0}" -le 21 ]; then java_home=$j; break; fi
done
[ -n "$java_home" ] || { echo "spark-cluster-check: needs a JDK 17-21 for Spark 4.0 (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
java=$java_home/bin/java
jsig=$java_home/lib/libjsig.so   # preloaded in the driver and the workers, whose executors inherit it
[ -f "$jsig" ] || { echo "spark-cluster-check: $jsig missing" >&2; exit 1; }
[ -f target/clpipe.jar ] && [ -d target/test-classes/dev/clpipe/spark ] || {
  echo "spark-cluster-check: needs target/clpipe.jar and target/test-classes (mvn package)" >&2; exit 1; }

pids=()
stop_cluster() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done          # workers kill their executors on TERM
  for _ in $(seq 50); do
    local alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.2
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  # executors whose worker died first (their command line names this check's work dirs)
  for p in $(pgrep -f "tmpdir=$S/tmp .*CoarseGrainedExecutorBackend" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

rm -rf "$S" && mkdir -p "$S/home/jars" "$S/logs" "$S/tmp" "$S/in" "$S/one" "$S/spark"
# A Spark "distribution" made of links: the worker builds executor class paths from $SPARK_HOME/jars.
if [ ! -s target/spark.cp ] || [ pom.xml -nt target/spark.cp ]; then
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/spark.cp >/dev/null
fi
tr ':' '\n' < target/spark.cp | while read -r jar; do ln -s "$jar" "$S/home/jars/"; done
touch "$S/home/RELEASE"
export SPARK_HOME=$S/home SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_DIRS=$S/tmp SPARK_LOG_DIR=$S/logs
opens=$(sed -n 's:.*<argLine.spark>\(.*\)</argLine.spark>.*:\1:p' pom.xml)
# Daemons only route messages: small heaps, C1 only and the serial GC start fastest on 2 cores.
daemon=(-Xmx192m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.io.tmpdir=$S/tmp $opens -cp "$S/home/jars/*")

free_port() { local p; while :; do p=$((20000 + RANDOM % 20000)); (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }; done; }
port=$(free_port)
master=spark://127.0.0.1:$port
LD_PRELOAD=$jsig "$java" "${daemon[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 \
  >"$S/logs/master.log" 2>&1 &
pids+=($!)

# Inputs: the photo folder for convert; small folders for the slower stages.
mkdir -p "$S/in/faces/people" "$S/in/faces/scenes" "$S/in/augment" "$S/in/fashion"
cp data/photos/skimage/astronaut.png data/photos/opencv/messi5.jpg "$S/in/faces/people/"
cp data/photos/darknet/person.jpg data/photos/darknet/kite.jpg data/photos/visp/Solvay_conference_1927_Version2_640x440.jpg \
  data/photos/skimage/camera.png "$S/in/faces/scenes/"
cp data/photos/opencv/*.jpg "$S/in/augment/"
for c in Bag Coat Sandal; do
  mkdir -p "$S/in/fashion/$c" "$S/in/fashion-train/train/$c" "$S/in/fashion-train/test/$c"
  ls "data/fashion-mnist-png/test/$c" | head -8 | while read -r f; do cp "data/fashion-mnist-png/test/$c/$f" "$S/in/fashion/$c/"; done
  ls "data/fashion-mnist-png/train/$c" | head -16 | while read -r f; do cp "data/fashion-mnist-png/train/$c/$f" "$S/in/fashion-train/train/$c/"; done
  ls "data/fashion-mnist-png/test/$c" | tail -4 | while read -r f; do cp "data/fashion-mnist-png/test/$c/$f" "$S/in/fashion-train/test/$c/"; done
done
# folder-predict needs a checkpoint: one epoch of folder-train on 48 images (while the master starts).
./clpipe run pipelines/folder-train.yaml --input "$S/in/fashion-train" --out "$S/train" --set 'stages[train].epochs=1' \
  --set 'stages[train].batch=16' >"$S/logs/train.log" 2>&1 &
trainer=$!
# detect-faces without its ground-truth scoring (a whole-set result Spark refuses), model paths absolute.
sed -e "s#\.\./data#$root/data#g" -e '/ground_truth:/,/image:/d' pipelines/detect-faces.yaml > "$S/detect-faces.yaml"
grep -q "^ *ground_truth:" "$S/detect-faces.yaml" && { echo "could not drop ground_truth from detect-faces.yaml" >&2; exit 1; }

# name | pipeline | input | extra flags: each runs once with `clpipe run` and once as a job on the cluster.
cat > "$S/plan.txt" <<EOF
convert pipelines/convert-folder.yaml $root/data/photos
detect $S/detect-faces.yaml $S/in/faces
embed pipelines/face-embed.yaml $S/in/faces --set stages[embed].min_face_size=60
predict pipelines/folder-predict.yaml $S/in/fashion --set stages[predict].checkpoint=$S/train/checkpoint
preview pipelines/augment-preview.yaml $S/in/augment --set batch=1
augment pipelines/augment-folder.yaml $S/in/augment
EOF
killed_job=augment   # an executor is killed while it runs
# Barrier-mode training (after the image jobs, as its own plan): LeNet-5 cut to 512 MNIST images, 2 epochs of 8 steps,
# on two replicas; its reference is `clpipe run` on two sub-devices of one PoCL device with the same even split.
train_cut="--set stages[train].limit_train=512 --set stages[train].limit_test=500 --set stages[train].epochs=2 --set stages[train].batch=64 --set stages[train].rebalance_every=0"
# and folder-train on the 48 PNGs of fashion-train (its decoded-sample cache under $S), 2 epochs of batch 16 with augment.
folder_cut="--input $S/in/fashion-train --set stages[train].epochs=2 --set stages[train].batch=16 --set stages[train].rebalance_every=0 --set stages[train].augment.mirror=true --set stages[train].cache=$S/cache --set stages[evaluate].cache=$S/cache"

# Every pipeline SparkPlan accepts must be in the plan (refused ones exit 2 before Spark starts).
"$java" -Djava.io.tmpdir=$S/tmp -cp "$S/home/jars/*:target/clpipe.jar:target/test-classes" dev.clpipe.spark.ClusterCheckDriver \
  --accepted pipelines/*.yaml 2>/dev/null > "$S/accepted.txt"
for f in $(awk '$1 == "accepted" {print $2}' "$S/accepted.txt"); do
  if grep -q " $f " "$S/plan.txt"; then ok "accepted by SparkPlan and checked on the cluster: $f"; else bad "$f is accepted by SparkPlan but not checked"; fi
done
awk '$1 == "training" {print "note  a training pipeline Spark runs in barrier mode; mnist-lenet5 and folder-train are the ones checked here: " $2}' "$S/accepted.txt"
grep -o 'pipelines/[a-z0-9-]*\.yaml$' <(grep '^unplanned' "$S/accepted.txt") | sed 's/^/note  not planned here (its inputs are made by another target): /'
wait "$trainer" || { bad "folder-train for the predict checkpoint failed (see $S/logs/train.log)"; exit 1; }
ln -s "$(ls -d "$S"/train/folder-train-*/ | head -1)" "$S/train/checkpoint"
stamp "planned, master starting"

for _ in $(seq 300); do grep -q "I have been elected leader" "$S/logs/master.log" && break; sleep 0.1; done
grep -q "I have been elected leader" "$S/logs/master.log" || { bad "master did not start (see $S/logs/master.log)"; exit 1; }
stamp "master alive"
for w in 1 2; do
  mkdir -p "$S/work$w"
  LD_PRELOAD=$jsig "$java" "${daemon[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 1200m \
    --work-dir "$S/work$w" --webui-port 0 "$master" >"$S/logs/worker$w.log" 2>&1 &
  pids+=($!)
done

# The driver starts beside the workers (it waits for executors itself); one application, every job.
while read -r name yaml input extra; do
  echo "$name $yaml --input $input --out $S/spark/$name $extra"
done < "$S/plan.txt" > "$S/driver-plan.txt"
echo "train pipelines/mnist-lenet5.yaml --out $S/spark/train --replicas 2 $train_cut" >> "$S/driver-plan.txt"
echo "folder-train pipelines/folder-train.yaml --out $S/spark/folder-train --replicas 2 $folder_cut" >> "$S/driver-plan.txt"
LD_PRELOAD=$jsig "$java" -Xmx768m -XX:+UseSerialGC -Djava.io.tmpdir=$S/tmp $opens -cp "$S/home/jars/*:$root/target/clpipe.jar:$root/target/test-classes" \
  org.apache.spark.deploy.SparkSubmit \
  --master "$master" --deploy-mode client --executor-memory 900m --executor-cores 1 --total-executor-cores 2 \
  --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
  --conf spark.local.dir=$S/tmp --conf spark.sql.codegen.wholeStage=false \
  --conf "spark.executor.extraJavaOptions=-XX:+UseSerialGC -Djava.io.tmpdir=$S/tmp" \
  --conf spark.task.maxFailures=4 \
  --class dev.clpipe.spark.ClusterCheckDriver target/clpipe.jar "$S/driver-plan.txt" >"$S/logs/driver.out" 2>"$S/logs/driver.log" &
driver=$!
pids+=($driver)

# Kill one executor JVM while the killed job runs: once its first images are out, before its results commit.
running_tid() {   # the task an executor's log shows started and not finished ("TID N"), if any
  local tid
  tid=$(grep -o "Executor: Running task .* (TID [0-9]*)" "$1/stderr" | tail -1 | grep -o "TID [0-9]*")
  [ -n "$tid" ] && ! grep -q "Executor: Finished task .* ($tid)" "$1/stderr" && echo "$tid"
}
(
  declare -A seen
  for _ in $(seq 24000); do
    kill -0 "$driver" 2>/dev/null || exit 0
    run=$(ls -d "$S/spark/$killed_job"/*/ 2>/dev/null | head -1)
    if [ -n "$run" ] && [ -n "$(find "$run/images" -type f 2>/dev/null | head -1)" ] && [ ! -e "$run/results.parquet/_SUCCESS" ]; then
      victim=""   # an executor in the middle of a task: the same task unfinished in two polls, so it is no task's last moment
      for d in "$S"/work*/app-*/*/; do
        tid=$(running_tid "$d")
        [ -n "$tid" ] && [ "$tid" = "${seen[$d]:-}" ] || { seen[$d]=$tid; continue; }
        victim=$(pgrep -f "CoarseGrainedExecutorBackend .*--executor-id $(basename "$d") .*--app-id $(basename "$(dirname "$d")")" | head -1)
        [ -n "$victim" ] && break
      done
      [ -n "$victim" ] && kill -9 "$victim" && { echo "$victim" > "$S/killed"; stamp "executor JVM $victim killed ($tid)"; exit 0; }
    fi
    sleep 0.05   # the job lasts about 2 s on a quiet machine: two looks must fit inside one task
  done
) &
killer=$!

# During the training job, once its first checkpoint is written, an executor JVM is killed: Spark retries the barrier
# stage and its member 0 resumes the run folder from that checkpoint.
executor_running_task() {  # pid of an executor JVM in the middle of a task
  local d started finished pid
  for d in "$S"/work*/app-*/*/; do
    started=$(grep -c "Executor: Running task" "$d/stderr") finished=$(grep -c "Executor: Finished task" "$d/stderr")
    [ "$started" -gt "$finished" ] || continue
    pid=$(pgrep -f "CoarseGrainedExecutorBackend .*--executor-id $(basename "$d") .*--app-id $(basename "$(dirname "$d")")" | head -1)
    [ -n "$pid" ] && { echo "$pid"; return; }   # an executor killed earlier has no process left
  done
}
(
  for _ in $(seq 12000); do
    kill -0 "$driver" 2>/dev/null || exit 0
    ck=$(ls -d "$S"/spark/train/*/checkpoints 2>/dev/null | head -1)
    if [ -n "$ck" ] && [ -f "$ck/epoch-0001/index.json" ] && [ ! -e "$ck/epoch-0002" ]; then
      victim=$(executor_running_task)
      [ -n "$victim" ] && kill -9 "$victim" && { echo "$victim" > "$S/killed-train"; stamp "training: executor JVM $victim killed after epoch 1"; exit 0; }
    fi
    sleep 0.1
  done
) &
train_killer=$!

# Meanwhile the same pipelines on one machine (the launcher, as a user runs them).
while read -r name yaml input extra; do
  ./clpipe run "$yaml" --input "$input" --out "$S/one/$name" $extra >"$S/logs/one-$name.log" 2>&1 \
    || bad "clpipe run $name failed (see $S/logs/one-$name.log)"
done < "$S/plan.txt"
POCL_DEVICES=pthread POCL_MAX_PTHREAD_COUNT=2 ./clpipe run pipelines/mnist-lenet5.yaml --device 0:0/2 --out "$S/one/train" $train_cut \
  >"$S/logs/one-train.log" 2>&1 || bad "clpipe run of the training reference failed (see $S/logs/one-train.log)"
POCL_DEVICES=pthread POCL_MAX_PTHREAD_COUNT=2 ./clpipe run pipelines/folder-train.yaml --device 0:0/2 --out "$S/one/folder-train" $folder_cut \
  >"$S/logs/one-folder-train.log" 2>&1 || bad "clpipe run of the folder-training reference failed (see $S/logs/one-folder-train.log)"
stamp "one-machine runs done"

wait "$driver"; code=$?
wait "$killer"
wait "$train_killer"
killed=$(cat "$S/killed" 2>/dev/null)
stamp "driver exited ($code)"
grep '^run ' "$S/logs/driver.out"
[ -n "$killed" ] && ok "an executor JVM (pid $killed) was killed in the middle of a task" || bad "no executor was killed during $killed_job"
lost=$(grep -c "ExecutorLostFailure" "$S/logs/driver.log")
[ "$lost" -ge 1 ] && ok "Spark saw the executor lost and retried its tasks ($lost task failures)" || bad "no lost task in the driver log"
jvms=$(cat "$S"/logs/worker*.log | grep -c "ExecutorRunner: Launch command")
[ "$jvms" -ge 2 ] && ok "executors ran in their own JVMs ($jvms launched by the workers)" || bad "workers launched $jvms executors"
grep -q "signal chaining is off" -r "$S"/work*/app-* && bad "an executor ran without libjsig" || ok "no executor warned that signal chaining is off"

while read -r name yaml input extra; do
  line=$(grep "^run $name " "$S/logs/driver.out")
  one=$(ls -d "$S/one/$name"/*/ 2>/dev/null | head -1) spark=$(ls -d "$S/spark/$name"/*/ 2>/dev/null | head -1)
  if [ -z "$line" ] || [ -z "$one" ] || [ -z "$spark" ]; then bad "$name: missing run (driver: '$line')"; continue; fi
  rows=$(sed 's/.*rows=\([0-9-]*\).*/\1/' <<<"$line"); distinct=$(sed 's/.*distinct=\([0-9-]*\).*/\1/' <<<"$line")
  files=$(grep -o '"items" *: *[0-9]*' "$one/metrics.json" | head -1 | grep -o '[0-9]*$')   # the one-machine source's items
  [[ $line == *exit=0* ]] && [ "$rows" = "$distinct" ] && [ "$rows" = "$files" ] \
    && ok "$name: exit 0, one Parquet row per image clpipe run read ($rows)" || bad "$name: $line, clpipe run read $files"
  # Counts the stages report in metrics.json (face-embed's faces) are summed over executors to the same values.
  counts='.stages | map_values(del(.seconds, .busy_seconds, .items_per_s, .wait_fraction, .work_seconds, .worker_seconds))'
  jq -S "$counts" "$one/metrics.json" > "$S/counts-$name-one.json"; jq -S "$counts" "$spark/metrics.json" > "$S/counts-$name-spark.json"
  if cmp -s "$S/counts-$name-one.json" "$S/counts-$name-spark.json"; then ok "$name: metrics.json item counts and stage sections equal clpipe run's"
  else bad "$name: metrics.json stage counts differ (diff $S/counts-$name-{one,spark}.json)"; fi
  # Every output file of the one-machine run (not its own records) must be in the Spark run, equal.
  diffs=0 n=0
  while read -r f; do
    n=$((n + 1))
    cmp -s "$one/$f" "$spark/$f" || { diffs=$((diffs + 1)); [ $diffs -le 3 ] && echo "      differs or missing: $f"; }
  done < <(cd "$one" && find . -type f ! -name run.json ! -name metrics.json ! -name config.yaml ! -name log.txt \
             ! -name completed.txt ! -path './.*' | sed 's#^\./##' | sort)
  extra_files=$(comm -13 <(cd "$one" && find . -type f | sort) <(cd "$spark" && find . -type f ! -path './results.parquet/*' | sort) \
    | grep -v -E '/(run|metrics)\.json$|/config\.yaml$|/results\.parquet$' | wc -l)
  [ $diffs = 0 ] && [ $n -gt 1 ] && [ "$extra_files" = 0 ] && ok "$name: $n output files byte-equal to clpipe run's" \
    || bad "$name: $diffs of $n files differ, $extra_files extra files in the Spark run"
done < "$S/plan.txt"

# Training: every checkpoint tensor of every epoch byte-equal to the two-device run on one machine.
same_checkpoints() {  # NAME SPARK_RUN [REFERENCE]: every file of the reference's (default one/train) checkpoints/ equal in SPARK_RUN's, none missing or extra
  local name=$1 spark=$2 one diffs=0 n=0 f
  one=$(ls -d "$S/one/${3:-train}"/*/ 2>/dev/null | head -1)
  [ -n "$one" ] && [ -n "$spark" ] || { bad "$name: missing run folder"; return; }
  while read -r f; do
    n=$((n + 1))
    cmp -s "$one/$f" "$spark/$f" || { diffs=$((diffs + 1)); [ $diffs -le 3 ] && echo "      differs or missing: $f"; }
  done < <(cd "$one" && find checkpoints -name '*.npy' | sort)
  extra=$(comm -13 <(cd "$one" && find checkpoints -name '*.npy' | sort) <(cd "$spark" && find checkpoints -name '*.npy' | sort) | wc -l)
  [ $diffs = 0 ] && [ $n -ge 40 ] && [ "$extra" = 0 ] && ok "$name: $n checkpoint tensors (2 epochs, weights and momenta) byte-equal to clpipe run --device 0:0/2" \
    || bad "$name: $diffs of $n checkpoint tensors differ, $extra extra"
}
line=$(grep "^run train " "$S/logs/driver.out")
[[ $line == *exit=0* ]] && ok "training in barrier mode: exit 0" || bad "training in barrier mode: '$line' (see $S/logs/driver.log)"
train_run=$(ls -d "$S/spark/train"/*/ 2>/dev/null | head -1)
same_checkpoints "training in barrier mode" "$train_run"
[ -s "$S/killed-train" ] && grep -q "train: resumed from .*epoch-0001" "$train_run/log.txt" \
  && ok "training: an executor JVM killed after epoch 1, the barrier stage retried and resumed from the checkpoint" \
  || bad "training: no executor killed ($(cat "$S/killed-train" 2>/dev/null)) or member 0 did not resume (see $train_run/log.txt)"
grep -q '"status" *: *"ok"' "$train_run/run.json" 2>/dev/null && ok "training: run.json says ok" || bad "training: run.json status is not ok"
line=$(grep "^run folder-train " "$S/logs/driver.out")
[[ $line == *exit=0* ]] && ok "folder training in barrier mode: exit 0" || bad "folder training in barrier mode: '$line' (see $S/logs/driver.log)"
folder_run=$(ls -d "$S/spark/folder-train"/*/ 2>/dev/null | head -1)
same_checkpoints "folder training in barrier mode (augment: mirror)" "$folder_run" folder-train
jq -r '.stages.train | "scaling  2-worker cluster, 2 replicas: \(.training.images_per_s | floor) train images/s, all-gather \(.data_parallel.group.allgather_ms_median | . * 10 | floor / 10) ms/step (median), compute \(.data_parallel.group.compute_ms_per_step | . * 10 | floor / 10) ms/step (the run had an executor killed: its resumed epoch only)"' \
  "$train_run/metrics.json" 2>/dev/null

# Kill and resubmit: a training application whose driver is killed after epoch 1, then submitted again with --resume.
submit() {  # LOG ARGS...: SparkPipeline as its own application on the cluster
  local log=$1; shift
  LD_PRELOAD=$jsig "$java" -Xmx512m -XX:+UseSerialGC -Djava.io.tmpdir=$S/tmp $opens -cp "$S/home/jars/*:$root/target/clpipe.jar" \
    org.apache.spark.deploy.SparkSubmit --master "$master" --deploy-mode client --executor-memory 900m --executor-cores 1 --total-executor-cores 2 \
    --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.local.dir=$S/tmp \
    --conf "spark.executor.extraJavaOptions=-XX:+UseSerialGC -Djava.io.tmpdir=$S/tmp" \
    --class dev.clpipe.spark.SparkPipeline target/clpipe.jar pipelines/mnist-lenet5.yaml "$@" $train_cut >"$log" 2>&1
}
submit "$S/logs/resubmit-1.log" --out "$S/spark/resubmit" &
first=$!
for _ in $(seq 6000); do
  ck=$(ls -d "$S"/spark/resubmit/*/checkpoints 2>/dev/null | head -1)
  [ -n "$ck" ] && [ -f "$ck/epoch-0001/index.json" ] && break
  kill -0 $first 2>/dev/null || break
  sleep 0.1
done
driver_b=$(pgrep -P $first | head -1)   # the driver JVM: the child of the subshell running submit
if [ -n "$ck" ] && [ ! -e "$ck/epoch-0002" ] && [ -n "$driver_b" ] && kill -9 "$driver_b"; then
  wait $first; stamp "resubmit: driver killed after epoch 1"
  for _ in $(seq 300); do pgrep -f "tmpdir=$S/tmp .*CoarseGrainedExecutorBackend" >/dev/null || break; sleep 0.1; done   # its executors go
  resumed_run=$(ls -d "$S"/spark/resubmit/*/ | head -1)
  submit "$S/logs/resubmit-2.log" --resume "$resumed_run"; code=$?
  stamp "resubmit: resumed run exited ($code)"
  [ $code = 0 ] && grep -q "train: resumed from .*epoch-0001" "$resumed_run/log.txt" && ok "resubmit: --resume continued the killed run (exit 0)" \
    || bad "resubmit: the resumed run exited $code (see $S/logs/resubmit-2.log)"
  same_checkpoints "resubmit" "$resumed_run"
else
  wait $first; bad "resubmit: the first application was not killed between epochs 1 and 2 (see $S/logs/resubmit-1.log)"
fi

stop_cluster
stamp "cluster stopped"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
