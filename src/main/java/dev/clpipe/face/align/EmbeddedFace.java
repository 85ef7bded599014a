package dev.clpipe.face.align;

/**
 * One face after the embedder: its detection box, landmarks (image pixels), the dlib-style
 * descriptor crop it was embedded from, and the 128-D descriptor (not L2-normalised).
 */
public record EmbeddedFace(FaceBox box, Landmarks68 landmarks, PixelRect descriptorCrop, float[] descriptor) {}
