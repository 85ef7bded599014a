#!/usr/bin/env bash
# Fetch the pretrained face models of @vladmandic/face-api (MIT licence) into DEST/face-api/.
#
#   datasets/fetch-face-models.sh DEST        e.g. datasets/fetch-face-models.sh data
#
# Downloads the npm package with `npm pack` (the registry checks the tarball's integrity hash),
# copies the TensorFlow.js weight manifests and the .bin shards each manifest lists for:
#   tiny_face_detector, face_landmark_68, face_landmark_68_tiny, face_recognition, ssd_mobilenetv1
# and records their SHA-256 sums in DEST/face-api/SHA256SUMS. Idempotent: when every file is
# present and matches SHA256SUMS nothing is downloaded. Model files are data: never commit them.
# Layout and network descriptions: docs/face-models.md.
set -euo pipefail

PACKAGE="@vladmandic/face-api"
VERSION="1.7.15"
MODELS=(tiny_face_detector_model face_landmark_68_model face_landmark_68_tiny_model
        face_recognition_model ssd_mobilenetv1_model)

die() { echo "fetch-face-models: error: $*" >&2; exit 1; }
say() { echo "fetch-face-models: $*"; }

[ $# -eq 1 ] || { echo "usage: $0 DEST   (models go to DEST/face-api/)" >&2; exit 2; }
DEST="$1/face-api"
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

WORK="$(mktemp -d "${TMPDIR:-/tmp}/fetch-face-models.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

say "downloading $STAMP with npm pack"
if ! (cd "$WORK" && npm pack --loglevel=error "$PACKAGE@$VERSION" > pack.out 2> pack.err); then
  cat "$WORK/pack.err" >&2
  die "npm pack $PACKAGE@$VERSION failed (registry unreachable? check 'npm config get registry')"
fi
TGZ="$WORK/$(tail -n 1 "$WORK/pack.out")"
[ -f "$TGZ" ] || die "npm pack did not produce a tarball (output: $(cat "$WORK/pack.out"))"
tar -xzf "$TGZ" -C "$WORK" || die "cannot extract $TGZ"
SRC="$WORK/package/model"
[ -d "$SRC" ] || die "package has no model/ folder: $TGZ"

STAGE="$WORK/stage"
mkdir -p "$STAGE"
for m in "${MODELS[@]}"; do
  manifest="$m-weights_manifest.json"
  [ -f "$SRC/$manifest" ] || die "$manifest missing from $STAMP"
  cp "$SRC/$manifest" "$STAGE/"
  # The shards a manifest names, in order (paths are relative to the manifest's folder).
  shards="$(node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const g of m) for (const p of g.paths) {
      if (p.includes("/") || p.includes("\\") || p.startsWith(".")) { console.error("unsafe shard path " + p); process.exit(3); }
      console.log(p);
    }' "$SRC/$manifest")" || die "cannot read the shard list of $manifest"
  for s in $shards; do
    [ -f "$SRC/$s" ] || die "shard $s named by $manifest is missing from $STAMP"
    cp "$SRC/$s" "$STAGE/"
  done
  say "  $manifest + $(echo "$shards" | wc -w) shard(s)"
done
cp "$WORK/package/LICENSE" "$STAGE/LICENSE" 2>/dev/null || say "warning: package has no LICENSE file"
(cd "$STAGE" && sha256sum -- *.json *.bin > SHA256SUMS)
echo "$STAMP" > "$STAGE/SOURCE"

mkdir -p "$DEST" || die "cannot create $DEST"
cp "$STAGE"/* "$DEST/"
(cd "$DEST" && sha256sum --quiet --strict -c SHA256SUMS) || die "copied files in $DEST do not match their sums"
say "installed $(wc -l < "$DEST/SHA256SUMS") files ($(du -sh "$DEST" | cut -f1)) from $STAMP into $DEST"
