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
check "unknown command: exit 2 with a suggestion" 2 "did you mean 'devices'" -- ./clpipe devics
check "devices --json: PoCL device with a passing self-test" 0 '"passed" : true' -- ./clpipe devices --json
check "cold start compiles the self-test kernel" 0 "kernels: 1 compiled, 0 from cache" -- \
  env CLPIPE_CACHE="$work/cold" ./clpipe devices -v
check "warm start compiles nothing" 0 "kernels: 0 compiled, 1 from cache" -- env CLPIPE_CACHE="$work/cold" ./clpipe devices -v
check "kernels build writes a manifest" 0 "manifest.json" -- ./clpipe kernels build --device cpu --out "$work/bin"
check "offline binaries: nothing compiled" 0 "kernels: 0 compiled, 0 from cache, 1 offline binaries" -- \
  env CLPIPE_CACHE="$work/empty-cache" ./clpipe devices -v --kernels "$work/bin"
sed -i 's/"name" : "[^"]*"/"name" : "Another Board"/' "$work/bin/manifest.json"
check "offline binaries for another device: refused" 3 "built for \"Another Board\"" -- ./clpipe devices --kernels "$work/bin"

echo "cli-check: $passed passed, $failed failed"
[ "$failed" = 0 ]
