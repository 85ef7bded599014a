#!/usr/bin/env bash
# Fetches Fashion-MNIST (60000 train + 10000 test 28x28 grey clothing images, gzipped IDX files)
# from the Debian package dataset-fashion-mnist into DEST/fashion-mnist.
# Usage: datasets/fetch-fashion-mnist.sh DEST
source "$(dirname "$0")/_common.sh"

DEST=$(dest_arg "$@")
OUT="$DEST/fashion-mnist"
PKG=dataset-fashion-mnist

if is_done "$OUT"; then
  say "Fashion-MNIST already in $OUT (remove the folder to fetch again)"
  exit 0
fi
make_tmp
deb_extract "$PKG" "$TMP_DIR/root"
SRC="$TMP_DIR/root/usr/share/datasets/fashion-mnist"

STAGE="$DEST/.fashion-mnist.partial"
rm -rf "$STAGE" && mkdir -p "$STAGE"
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  [ -f "$SRC/$f" ] || die "$PKG has no usr/share/datasets/fashion-mnist/$f"
  gzip -t "$SRC/$f" || die "$PKG: $f is not valid gzip"
  cp "$SRC/$f" "$STAGE/$f"
  say "  $OUT/$f ($(stat -c %s "$SRC/$f") bytes, gzipped)"
done
cp "$TMP_DIR/root/usr/share/doc/$PKG/copyright" "$STAGE/COPYRIGHT" 2>/dev/null || true
publish "$STAGE" "$OUT" "debian $PKG $DEB_VERSION"
say "Fashion-MNIST ready in $OUT"
