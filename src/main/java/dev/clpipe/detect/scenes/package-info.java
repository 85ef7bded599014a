/**
 * Synthetic detection data: canvases with several MNIST digits at random sizes and positions and
 * their known ink boxes ({@link dev.clpipe.detect.scenes.DigitSceneGenerator}).
 */
package dev.clpipe.detect.scenes;
