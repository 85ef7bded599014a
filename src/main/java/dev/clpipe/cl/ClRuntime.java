package dev.clpipe.cl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The entry point of the device layer: discovers devices once and opens the ones a device
 * string selects, each with its own context and queue, compiling through the binary cache or
 * loading offline binaries only ({@code --kernels DIR}).
 */
public final class ClRuntime {
    private static final Logger LOG = LogManager.getLogger(ClRuntime.class);
    private final List<ClDevice> devices;
    private final ProgramLoader loader;

    private ClRuntime(List<ClDevice> devices, ProgramLoader loader) {
        this.devices = devices;
        this.loader = loader;
    }

    /** Compiles kernels, caching binaries under {@code $CLPIPE_CACHE}. */
    public static ClRuntime standard() {
        return new ClRuntime(ClPlatforms.discover(), new CompilingLoader(ProgramCache.standard()));
    }

    /** Loads prebuilt binaries from {@code kernelsDir} and never compiles. */
    public static ClRuntime offline(Path kernelsDir) {
        return new ClRuntime(ClPlatforms.discover(), new OfflineLoader(kernelsDir));
    }

    public static ClRuntime with(ProgramLoader loader) {
        return new ClRuntime(ClPlatforms.discover(), loader);
    }

    public List<ClDevice> devices() {
        return devices;
    }

    public List<ClDevice> select(String spec) {
        return DeviceSelector.select(spec, devices);
    }

    /**
     * Opens every device the string selects, in selection order; the devices of one platform share
     * one OpenCL context ({@link ClContext#group}), so data-parallel training can reduce gradients
     * on the devices. The caller closes each context.
     */
    public List<ClContext> open(String spec) {
        List<ClDevice> chosen = select(spec);
        Map<Object, List<Integer>> byPlatform = new LinkedHashMap<>();
        for (int i = 0; i < chosen.size(); i++) byPlatform.computeIfAbsent(chosen.get(i).platformId(), k -> new ArrayList<>()).add(i);
        ClContext[] opened = new ClContext[chosen.size()];
        List<ClContext> contexts = new ArrayList<>();
        try {
            for (List<Integer> same : byPlatform.values()) {
                List<ClDevice> devices = same.stream().map(chosen::get).toList();
                boolean distinct = devices.stream().map(ClDevice::deviceId).distinct().count() == devices.size();
                List<ClContext> group = distinct ? ClContext.group(devices, loader) : new ArrayList<>();
                if (!distinct) for (ClDevice d : devices) group.add(new ClContext(d, loader)); // one device twice: a context each
                contexts.addAll(group);
                for (int i = 0; i < same.size(); i++) opened[same.get(i)] = group.get(i);
                LOG.debug("opened {}", String.join(", ", devices.stream().map(ClDevice::describe).toList()));
            }
            return List.of(opened);
        } catch (RuntimeException e) {
            contexts.forEach(ClContext::close);
            throw e;
        }
    }

    /** Opens the single device the string selects; more than one match is an error. */
    public ClContext openOne(String spec) {
        List<ClDevice> chosen = select(spec);
        if (chosen.size() != 1) {
            throw new ClException("'" + spec + "' selects " + chosen.size() + " devices where one is needed:\n"
                    + DeviceSelector.listing(chosen));
        }
        return new ClContext(chosen.get(0), loader);
    }
}
