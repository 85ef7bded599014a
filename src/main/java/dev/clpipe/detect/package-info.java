/**
 * Object detection in plain Java: boxes and their three forms ({@link dev.clpipe.detect.Box}),
 * IoU and non-max suppression ({@link dev.clpipe.detect.Nms}), anchor boxes and their k-means
 * choice ({@link dev.clpipe.detect.AnchorSet}, {@link dev.clpipe.detect.AnchorKMeans}), the YOLO
 * grid head — layout, decoder, target encoder, loss and gradient ({@link dev.clpipe.detect.YoloLayout},
 * {@link dev.clpipe.detect.YoloDecoder}, {@link dev.clpipe.detect.YoloEncoder},
 * {@link dev.clpipe.detect.YoloLoss}) — evaluation (VOC AP@0.5, COCO AP@[.5:.95], PR plot:
 * {@link dev.clpipe.detect.DetectionEvaluator}, {@link dev.clpipe.detect.PrCurvePlot}) and
 * annotation readers (VOC XML, YOLO txt, COCO JSON, ViSP, detections.jsonl).
 *
 * <p>Conventions: pixels, origin top-left, x right, y down, continuous coordinates (no VOC "+1");
 * the public {@code detections.jsonl} box is top-left {@code [x, y, w, h]}. Depends only on
 * {@code dev.clpipe.data} (a leaf package: class-name lists and the ViSP reader). The YOLO loss
 * is the Java reference twin of a later OpenCL kernel. See {@code docs/detection.md}.
 */
package dev.clpipe.detect;
