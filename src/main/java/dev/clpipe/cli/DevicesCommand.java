package dev.clpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clpipe.cl.ClContext;
import dev.clpipe.cl.ClDevice;
import dev.clpipe.cl.ClRuntime;
import dev.clpipe.cl.SelfTest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code clpipe devices}: every OpenCL device with its facts and a self-test. */
final class DevicesCommand implements Command {
    private final PrintStream out;

    DevicesCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public String summary() {
        return "list OpenCL devices, with a self-test (kernel check and copy bandwidth), and the image codecs found";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("json").desc("print a JSON array instead of a table").build())
                .addOption(Option.builder("d").longOpt("device").hasArg().argName("SPEC")
                        .desc("only devices matching SPEC (auto, cpu, gpu, accelerator, all, P:D, name~TEXT); default all").build())
                .addOption(Option.builder().longOpt("no-self-test").desc("skip the self-test").build())
                .addOption(Runtimes.KERNELS_OPTION);
    }

    @Override
    public ExitCode execute(CommandLine line) throws Exception {
        ClRuntime runtime = Runtimes.from(line);
        List<ClDevice> devices = runtime.select(line.getOptionValue("device", "all"));
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean allPassed = true;
        for (ClDevice device : devices) {
            SelfTest.Result test = line.hasOption("no-self-test") ? null : selfTest(runtime, device);
            allPassed &= test == null || test.passed();
            rows.add(row(device, test));
        }
        if (line.hasOption("json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("devices", rows);
            json.put("codecs", dev.clpipe.data.Codecs.list());
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        } else {
            out.print(DeviceTable.render(rows));
            out.println();
            dev.clpipe.data.Codecs.describe().forEach(codec -> out.println("codec  " + codec));
        }
        return allPassed ? ExitCode.OK : ExitCode.DEVICE;
    }

    private static SelfTest.Result selfTest(ClRuntime runtime, ClDevice device) {
        try (ClContext context = runtime.openOne(device.address())) {
            return SelfTest.run(context);
        }
    }

    private static Map<String, Object> row(ClDevice d, SelfTest.Result test) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("platform_index", d.platformIndex());
        row.put("platform", d.platformName());
        row.put("device_index", d.deviceIndex());
        row.put("address", d.address());
        row.put("type", d.type().name());
        row.put("vendor", d.vendor());
        row.put("name", d.name());
        row.put("driver_version", d.driverVersion());
        row.put("opencl_version", d.openclVersion());
        row.put("compute_units", d.computeUnits());
        row.put("global_mem_bytes", d.globalMemBytes());
        row.put("local_mem_bytes", d.localMemBytes());
        row.put("max_work_group_size", d.maxWorkGroupSize());
        row.put("compiler_available", d.compilerAvailable());
        if (test != null) {
            Map<String, Object> self = new LinkedHashMap<>();
            self.put("passed", test.passed());
            self.put("copy_gb_per_s", Math.round(test.copyGBps() * 100) / 100.0);
            if (test.error() != null) self.put("error", test.error());
            row.put("self_test", self);
        }
        return row;
    }
}
