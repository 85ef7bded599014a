package dev.clpipe.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One unit of work flowing through a pipeline: an id (the source file's relative path, used in
 * reports and for resuming), the index of the source sample it came from (the counter that
 * randomness is keyed on), and typed attachments that stages add (decoded image, label, ...).
 * Items derived from one source sample (e.g. augmented variants) keep its origin.
 */
public final class Item {
    private final String id;
    private final String origin;
    private final long index;
    private final Map<Class<?>, Object> attachments = new HashMap<>();

    public Item(String id, long index) {
        this(id, id, index);
    }

    private Item(String id, String origin, long index) {
        this.id = id;
        this.origin = origin;
        this.index = index;
    }

    /** A new item derived from this one (same origin and index), e.g. a variant. */
    public Item derive(String newId) {
        Item copy = new Item(newId, origin, index);
        copy.attachments.putAll(attachments);
        return copy;
    }

    public String id() {
        return id;
    }

    /** The id of the source item this one came from; resuming skips completed origins. */
    public String origin() {
        return origin;
    }

    public long index() {
        return index;
    }

    public <T> Item put(Class<T> type, T value) {
        attachments.put(type, type.cast(value));
        return this;
    }

    public <T> Optional<T> find(Class<T> type) {
        return Optional.ofNullable(type.cast(attachments.get(type)));
    }

    /** The attachment of that type; a missing one means stages were wired wrongly. */
    public <T> T get(Class<T> type) {
        Object value = attachments.get(type);
        if (value == null) {
            throw new IllegalStateException("item " + id + " has no " + type.getSimpleName()
                    + "; is a stage that produces it missing before this one?");
        }
        return type.cast(value);
    }

    /** Every attachment, read-only (for engines that serialise whatever stages produced). */
    public java.util.Map<Class<?>, Object> attachments() {
        return java.util.Collections.unmodifiableMap(attachments);
    }

    public void remove(Class<?> type) {
        attachments.remove(type);
    }

    @Override
    public String toString() {
        return "Item[" + id + "]";
    }
}
