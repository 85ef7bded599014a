# Shared helpers for the datasets/fetch-*.sh scripts (sourced, not run).
# Every script: idempotent (a .done stamp per dataset), prints what it does, fails with a message.

set -euo pipefail

say() { printf '[%s] %s\n' "$(basename "$0")" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

need() {
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' is not installed (needed to fetch this dataset)"
  done
}

# dest_arg DEST -> checks the argument and prints the absolute destination folder
dest_arg() {
  [ $# -ge 1 ] && [ -n "$1" ] || die "usage: $0 DEST   (e.g. $0 data)"
  mkdir -p "$1" || die "cannot create destination folder $1"
  (cd "$1" && pwd)
}

# make_tmp -> a temp folder removed on exit; readable by apt's sandbox user
make_tmp() {
  TMP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/clpipe-fetch.XXXXXX")
  chmod 755 "$TMP_DIR"
  trap 'rm -rf "$TMP_DIR"' EXIT
}

# deb_extract PACKAGE DIR -> downloads PACKAGE's .deb (no install) and unpacks it into DIR
deb_extract() {
  local pkg=$1 out=$2
  need apt-get dpkg-deb
  say "downloading Debian package $pkg (apt-get download, not installed)"
  if ! (cd "$TMP_DIR" && apt-get download -q "$pkg" >/dev/null 2>"$TMP_DIR/apt.err"); then
    say "apt-get download $pkg failed; running apt-get update once and retrying"
    apt-get update -q >/dev/null 2>&1 || say "apt-get update failed (continuing)"
    (cd "$TMP_DIR" && apt-get download -q "$pkg" >/dev/null 2>"$TMP_DIR/apt.err") \
      || die "cannot download Debian package $pkg: $(tail -n 3 "$TMP_DIR/apt.err")"
  fi
  local deb
  deb=$(ls "$TMP_DIR"/"${pkg}"_*.deb 2>/dev/null | head -n 1)
  [ -n "$deb" ] || die "apt-get download $pkg produced no .deb file"
  say "unpacking $(basename "$deb")"
  mkdir -p "$out"
  dpkg-deb -x "$deb" "$out" || die "cannot unpack $deb"
  DEB_VERSION=$(dpkg-deb -f "$deb" Version)
}

# done_stamp DIR -> true if DIR was completely fetched before
is_done() { [ -f "$1/.done" ]; }

# publish STAGING FINAL -> moves a completed staging folder into place (replacing a partial one)
publish() {
  local staging=$1 final=$2 note=$3
  printf '%s\n' "$note" > "$staging/.done"
  rm -rf "$final"
  mkdir -p "$(dirname "$final")"
  mv "$staging" "$final"
}
