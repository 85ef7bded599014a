package dev.clpipe.bench;

/** One measured kernel run: the JSON row of {@code clpipe bench kernels --json}. */
public record BenchResult(String op, String shape, String variant, String device, double ms, double gflops) {}
