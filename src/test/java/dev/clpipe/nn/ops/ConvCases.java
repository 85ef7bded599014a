package dev.clpipe.nn.ops;

import dev.clpipe.testing.TestDevices;
import java.util.ArrayList;
import java.util.List;

/** Convolution shapes the tests cover; the first ones stay small enough for Oclgrind. */
final class ConvCases {
    private ConvCases() {}

    static List<Conv2dShape> shapes() {
        List<Conv2dShape> small = List.of(
                Conv2dShape.input(1, 5, 7, 3).output(4).kernel(1).build(),                                // 1x1, batch 1
                Conv2dShape.input(2, 6, 5, 3).output(5).kernel(3).padding(1, 2, 0, 1).stride(2).build(),  // uneven padding, stride 2
                Conv2dShape.input(1, 7, 8, 4).output(6).kernel(3).dilation(2).same().build(),             // dilation, same
                Conv2dShape.input(1, 6, 6, 4).output(4).kernel(3).groups(2).padding(1).build(),           // groups
                Conv2dShape.input(2, 5, 6, 18).output(18).kernel(3).groups(18).padding(1).build(),        // depthwise, ragged 16
                Conv2dShape.input(1, 5, 11, 32).output(32).kernel(3).groups(32).padding(1).build(),       // depthwise window, full vectors
                Conv2dShape.input(1, 7, 9, 3).output(5).kernel(3).stride(2).padding(1, 1, 0, 0).build()); // row runs (no width padding)
        List<Conv2dShape> large = List.of(
                Conv2dShape.input(2, 10, 10, 64).output(64).kernel(3).same().build(),                     // full channel panels
                Conv2dShape.input(1, 13, 13, 16).output(16).kernel(3).padding(1).build(),                 // ragged pixel blocks
                Conv2dShape.input(2, 9, 11, 70).output(40).kernel(3).same().build(),                      // ragged channels
                Conv2dShape.input(2, 11, 9, 17).output(33).kernel(3).stride(2).padding(1).build(),        // odd channels, stride 2
                Conv2dShape.input(1, 12, 10, 5).output(7).kernel(3, 2).stride(2, 1).padding(0, 1, 2, 0).build(), // rectangular
                Conv2dShape.input(1, 11, 11, 6).output(8).kernel(5).dilation(2).padding(3).build(),       // 5x5 dilated
                Conv2dShape.input(3, 32, 32, 1).output(6).kernel(5).build(),                              // LeNet conv1
                Conv2dShape.input(2, 14, 14, 6).output(16).kernel(5).build(),                             // LeNet conv2
                Conv2dShape.input(2, 9, 9, 32).output(32).kernel(3).groups(32).stride(2).same().build(),  // depthwise stride 2
                Conv2dShape.input(3, 7, 10, 40).output(40).kernel(3).groups(40).build(),                  // depthwise valid, ragged 16 (taps in registers)
                Conv2dShape.input(2, 6, 9, 16).output(16).kernel(2).groups(16).padding(1, 0, 0, 1).build(), // depthwise 2x2, uneven padding
                Conv2dShape.input(1, 8, 9, 24).output(24).kernel(3).groups(24).dilation(2).padding(2).build(), // depthwise dilated
                Conv2dShape.input(2, 9, 13, 16).output(16).kernel(5).groups(16).padding(2, 1, 0, 3).build(), // depthwise 5-wide window, uneven padding
                Conv2dShape.input(2, 48, 47, 256).output(256).kernel(3).groups(256).same().build(),       // depthwise, streamed (> 4 MB) output
                Conv2dShape.input(1, 7, 7, 3).output(6).kernel(3).groups(3).padding(1).build(),           // depth multiplier 2
                Conv2dShape.input(2, 8, 8, 32).output(48).kernel(3).groups(4).stride(2).same().build(),   // grouped, stride 2
                Conv2dShape.input(1, 9, 9, 96).output(24).kernel(1).build(),                              // 1x1 projection
                Conv2dShape.input(1, 4, 5, 8).output(130).kernel(1).stride(2).build(),                    // 1x1 stride 2, > 2 panels
                Conv2dShape.input(1, 3, 3, 2).output(3).kernel(3).stride(3).padding(2).build(),           // stride > kernel reach
                Conv2dShape.input(2, 9, 12, 20).output(20).kernel(3, 4).stride(1, 2).padding(2, 0, 0, 0).dilation(2, 1).build()); // row runs, dilated rows
        List<Conv2dShape> all = new ArrayList<>(small);
        if (!TestDevices.underOclgrind()) all.addAll(large);
        return all;
    }
}
