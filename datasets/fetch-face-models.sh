#!/usr/bin/env bash
# Fetch the pretrained face models of @vladmandic/face-api (MIT licence) into DEST/face-api/.
#
#   datasets/fetch-face-models.sh DEST        e.g. datasets/fetch-face-models.sh data
#
# The TensorFlow.js weight manifests and their .bin shards of tiny_face_detector, face_landmark_68,
# face_landmark_68_tiny, face_recognition and ssd_mobilenetv1, with SHA-256 sums in
# DEST/face-api/SHA256SUMS (how: datasets/lib/npm-models.sh). Model files are data: never commit
# them. Layout and network descriptions: docs/face-models.md.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DEST   (models go to DEST/face-api/)" >&2; exit 2; }
. "$(dirname "$0")/lib/npm-models.sh"
fetch_npm_models fetch-face-models @vladmandic/face-api 1.7.15 "$1/face-api" model -weights_manifest.json \
  tiny_face_detector_model face_landmark_68_model face_landmark_68_tiny_model face_recognition_model ssd_mobilenetv1_model
