#!/usr/bin/env bash
# Builds the example plug-in jar against clpipe's jar: build.sh CLPIPE_JAR OUT_DIR
# (make example-plugin runs it: target/clpipe.jar -> target/plugins/example-plugin.jar).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=$1 out=$2
classes=$(mktemp -d "${TMPDIR:-/tmp}/clpipe-plugin.XXXXXX")
trap 'rm -rf "$classes"' EXIT
# -g: Aparapi reads the local variable table of run() when it translates a PixelOp.
javac -g --release 17 -cp "$jar" -d "$classes" $(find "$here/src" -name '*.java')
cp -r "$here/resources/." "$classes/"
mkdir -p "$out"
jar cf "$out/example-plugin.jar" -C "$classes" .
echo "wrote $out/example-plugin.jar"
