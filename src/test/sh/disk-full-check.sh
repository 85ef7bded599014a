#!/usr/bin/env bash
# Disk-full check: a folder pipeline (convert-folder.yaml over data/photos/skimage) writes its run
# folder into a tmpfs too small for its outputs. The run must end as README "Exit codes" and the
# failure paragraph say: exit 1, one error line naming the full disk and no stack trace, run.json
# `failed` with the reason, metrics.json and skipped.csv written, every output listed in
# completed.txt present and equal to an uninterrupted run's. Then the tmpfs is grown (space freed)
# and `--resume` must end ok with outputs, completed.txt and skipped.csv equal to the uninterrupted
# run's byte for byte, metrics counting the whole run, and no temporary file left.
# Needs root (mount -t tmpfs); without it the check fails saying so, unless CLPIPE_SKIP_DISK_FULL=1
# is set, which makes it say SKIPPED.  Usage: bash src/test/sh/disk-full-check.sh
set -u
cd "$(dirname "$0")/../../.."
export CLPIPE_CACHE="${CLPIPE_CACHE:-$PWD/target/chaos-kernel-cache}"
work=$(mktemp -d "${TMPDIR:-/tmp}/clpipe-disk-full.XXXXXX")
mnt="$work/small-disk"
cleanup() { mountpoint -q "$mnt" && umount "$mnt"; rm -rf "$work"; }
trap cleanup EXIT
failed=0
fail() { echo "FAIL  $*"; failed=$((failed + 1)); }
ok() { echo "ok    $*"; }
json_field() { grep -o "\"$2\" : [^,]*" "$1" | head -1 | sed 's/.*: //; s/"//g'; }

mkdir -p "$mnt"
if ! mount -t tmpfs -o size=1m tmpfs "$mnt" 2>"$work/mount.err"; then
  if [ "${CLPIPE_SKIP_DISK_FULL:-}" = 1 ]; then
    echo "disk-full-check: SKIPPED: cannot mount a tmpfs ($(head -1 "$work/mount.err")); run as root to test a full disk"
    exit 0
  fi
  echo "disk-full-check: FAIL: cannot mount a tmpfs ($(head -1 "$work/mount.err")); the full-disk behaviour is NOT tested."
  echo "  Run as root, or set CLPIPE_SKIP_DISK_FULL=1 to skip it knowingly."
  exit 1
fi
umount "$mnt"

run=(./clpipe run pipelines/convert-folder.yaml --input data/photos/skimage --set batch=4 -q)
"${run[@]}" --out "$work/ref" >"$work/ref.log" 2>&1 || { fail "uninterrupted run"; tail -5 "$work/ref.log"; exit 1; }
ref=$(ls -d "$work"/ref/*/ | head -1)
ref_kib=$(du -sk "$ref/images" | cut -f1)
written=$(find "$ref/images" -type f | wc -l)
echo "      uninterrupted run: $written images, ${ref_kib} KiB of outputs, $(($(grep -c '' "$ref/skipped.csv") - 1)) skipped rows"

# Room for about half the outputs (the run's own records and its 256 KiB reserve come on top).
size_kib=$((ref_kib / 2 + 400))
mount -t tmpfs -o "size=${size_kib}k" tmpfs "$mnt" || { fail "mount -t tmpfs size=${size_kib}k"; exit 1; }
"${run[@]}" --out "$mnt" >"$work/full.log" 2>&1; code=$?
d=$(ls -d "$mnt"/*/ 2>/dev/null | head -1); d=${d%/}
[ "$code" = 1 ] && ok "full disk: exit 1" || fail "full disk: exit $code, README documents 1"
if grep -q '^\s*at \|Exception' "$work/full.log"; then fail "full disk: a stack trace on stderr"; head -5 "$work/full.log"; fi
grep -q 'No space left on device' "$work/full.log" && ok "full disk: stderr says: $(grep -m1 'No space' "$work/full.log")" \
  || { fail "full disk: stderr does not name the full disk"; cat "$work/full.log"; }
if [ -z "$d" ]; then fail "full disk: no run folder"; else
  [ "$(json_field "$d/run.json" status)" = failed ] && ok "full disk: run.json status failed, error: $(json_field "$d/run.json" error)" \
    || fail "full disk: run.json status $(json_field "$d/run.json" status)"
  grep -q '"error" : ".*No space left on device' "$d/run.json" || fail "full disk: run.json error lacks the reason"
  [ -s "$d/metrics.json" ] && tail -1 "$d/metrics.json" | grep -q '^}' && ok "full disk: metrics.json written" || fail "full disk: metrics.json missing or cut"
  head -1 "$d/skipped.csv" 2>/dev/null | grep -q . && ok "full disk: skipped.csv written ($(($(grep -c '' "$d/skipped.csv") - 1)) rows)" \
    || fail "full disk: skipped.csv missing"
  done_items=$(grep -c '' "$d/completed.txt" 2>/dev/null || echo 0)
  kept=0 lost=0
  while IFS= read -r f; do
    rel=${f#"$d/images/"}
    case "$rel" in .*|*/.*) continue ;; esac
    cmp -s "$f" "$ref/images/$rel" && kept=$((kept + 1)) || { lost=$((lost + 1)); echo "      differs from the uninterrupted run: $rel"; }
  done < <(find "$d/images" -type f 2>/dev/null)
  [ "$lost" = 0 ] && ok "full disk: $done_items items journalled, $kept outputs kept, each equal to the uninterrupted run's" \
    || fail "full disk: $lost outputs damaged"

  # Free space, then resume.
  mount -o "remount,size=$((ref_kib * 3 + 4096))k" "$mnt" || fail "remount larger"
  "${run[@]}" --resume "$d" >"$work/resume.log" 2>&1; code=$?
  [ "$code" = 0 ] && ok "resume after freeing space: exit 0" || { fail "resume: exit $code"; tail -5 "$work/resume.log"; }
  [ "$(json_field "$d/run.json" status)" = ok ] || fail "resume: run.json status $(json_field "$d/run.json" status)"
  diff -r "$ref/images" "$d/images" >"$work/diff" 2>&1 && ok "resume: outputs byte-equal to the uninterrupted run's ($written files)" \
    || { fail "resume: outputs differ"; head -5 "$work/diff"; }
  cmp -s <(sort "$ref/completed.txt") <(sort "$d/completed.txt") || fail "resume: completed.txt differs"
  cmp -s <(sort "$ref/skipped.csv") <(sort "$d/skipped.csv") || { fail "resume: skipped.csv differs"; diff <(sort "$ref/skipped.csv") <(sort "$d/skipped.csv") | head -5; }
  # metrics.json covers both parts (items a stage handled in each, so a redone batch counts twice).
  want=$(grep -o '"items" : [0-9]*' "$ref/metrics.json" | tail -1 | sed 's/.*: //')
  got=$(grep -o '"items" : [0-9]*' "$d/metrics.json" | tail -1 | sed 's/.*: //')
  grep -q '"parts" : 2' "$d/metrics.json" && [ "$got" -ge "$want" ] && ok "resume: metrics.json covers both parts (last stage $got items, uninterrupted $want)" \
    || fail "resume: metrics.json covers only part of the run (last stage ${got:-?} items, uninterrupted $want)"

  stray=$(find "$d" \( -name '.*.tmp' -o -name '.lock' -o -name '.clpipe-reserve' \))
  [ -z "$stray" ] || { fail "resume: stray files"; echo "$stray"; }
fi
echo "disk-full-check: $failed failed"
[ "$failed" = 0 ]
