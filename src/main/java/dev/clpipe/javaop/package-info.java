/**
 * Per-pixel operations written in Java ({@link dev.clpipe.javaop.PixelOp}) and run on an OpenCL
 * device through Aparapi, which translates their bytecode to OpenCL C. Aparapi moves a kernel it
 * cannot translate or build to a Java thread pool without failing; {@link dev.clpipe.javaop.PixelOpRunner}
 * checks where every execution ran and refuses that fallback unless it was allowed.
 *
 * <p>Sits beside {@code augment}: uses {@code cl} (device facts) and {@code data} (images);
 * used by {@code pipeline.stages.JavaOpStage} ({@code type: java-op}) and {@code bench}.
 */
package dev.clpipe.javaop;
