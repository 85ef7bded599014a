#!/usr/bin/env bash
# Fetches sample photos from Debian packages (downloaded and unpacked, never installed):
#   DEST/photos/opencv/   opencv-doc        samples/data *.jpg *.png
#   DEST/photos/skimage/  python3-skimage   skimage/data *.png *.jpg *.gif, lfw_subset.npy
#   DEST/photos/visp/     visp-images-data  Solvay 1927 group photo + face ground truth
#   DEST/photos/darknet/  darknet           data/*.jpg, data/*.names, cfg/*.cfg, cfg/*.data
# Usage: datasets/fetch-photos.sh DEST
source "$(dirname "$0")/_common.sh"

DEST=$(dest_arg "$@")
OUT="$DEST/photos"
mkdir -p "$OUT"
make_tmp

# copy_glob SRC_DIR DEST_DIR PATTERN... -> copies matching files, fails if none matched
copy_glob() {
  local src=$1 dst=$2 n=0; shift 2
  mkdir -p "$dst"
  shopt -s nullglob
  for pat in "$@"; do
    for f in "$src"/$pat; do
      [ -f "$f" ] || continue
      cp "$f" "$dst/"
      n=$((n + 1))
    done
  done
  shopt -u nullglob
  [ "$n" -gt 0 ] || die "no files matching $* in $src"
  say "  $n files -> $dst"
}

# fetch NAME PACKAGE -> unpacks PACKAGE and runs copy_NAME ROOT STAGE unless already done
fetch() {
  local name=$1 pkg=$2 final="$OUT/$1" stage="$OUT/.$1.partial"
  if is_done "$final"; then
    say "$name already in $final"
    return
  fi
  rm -rf "$stage" "$TMP_DIR/root-$name"
  deb_extract "$pkg" "$TMP_DIR/root-$name"
  "copy_$name" "$TMP_DIR/root-$name" "$stage"
  cp "$TMP_DIR/root-$name/usr/share/doc/$pkg/copyright" "$stage/COPYRIGHT" 2>/dev/null || true
  publish "$stage" "$final" "debian $pkg $DEB_VERSION"
  rm -rf "$TMP_DIR/root-$name" "$TMP_DIR"/*.deb
}

copy_opencv() {
  copy_glob "$1/usr/share/doc/opencv-doc/examples/data" "$2" '*.jpg' '*.png'
}

copy_skimage() {
  local d="$1/usr/lib/python3/dist-packages/skimage/data"
  copy_glob "$d" "$2" '*.png' '*.jpg' '*.gif' 'lfw_subset.npy' 'README.txt'
}

copy_visp() {
  local d="$1/usr/share/visp-images-data/ViSP-images"
  copy_glob "$d/faces" "$2" '1280px-Solvay_conference_1927.png' 'ground_truth_detection.txt'
  copy_glob "$d/Solvay" "$2" 'Solvay_conference_1927_Version2_*.jpg'
}

copy_darknet() {
  copy_glob "$1/usr/share/darknet/data" "$2" '*.jpg' '*.names'
  copy_glob "$1/usr/share/darknet/cfg" "$2/cfg" '*.cfg' '*.data'
}

fetch opencv opencv-doc
fetch skimage python3-skimage
fetch visp visp-images-data
fetch darknet darknet
say "photos ready in $OUT"
