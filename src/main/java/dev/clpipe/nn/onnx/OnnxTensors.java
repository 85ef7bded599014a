package dev.clpipe.nn.onnx;

import dev.clpipe.nn.io.Float16;
import dev.clpipe.nn.onnx.proto.Onnx.StringStringEntryProto;
import dev.clpipe.nn.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes ONNX tensors (initializers, Constant nodes) into floats: float32, float16, float64,
 * int32 and int64 from the typed fields, {@code raw_data} or external data files next to the model.
 * Every tensor's byte size is checked against its shape; external files must exist inside the
 * model's folder. Errors name the model file and the tensor.
 */
final class OnnxTensors {
    private final Path model;
    private final Path folder;

    OnnxTensors(Path model) {
        this.model = model;
        Path parent = model.toAbsolutePath().normalize().getParent();
        this.folder = parent == null ? Path.of("/") : parent;
    }

    /** A decoded tensor: its dims and values (integers are exact up to 2^24, enough for shapes and pads). */
    record Data(String name, long[] dims, float[] values) {
        long count() {
            return values.length;
        }

        long[] longs() {
            long[] out = new long[values.length];
            for (int i = 0; i < out.length; i++) out[i] = (long) values[i];
            return out;
        }
    }

    Data decode(TensorProto t, String where) throws OnnxFormatException {
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : dims) {
            if (d < 0) throw bad(where, "tensor '" + t.getName() + "' has a negative dimension " + d);
            count = Math.multiplyExact(count, d);
        }
        if (count > Integer.MAX_VALUE - 8) throw bad(where, "tensor '" + t.getName() + "' has " + count + " elements, more than one array holds");
        int n = (int) count;
        int type = t.getDataType();
        int size = elementBytes(type, t, where);
        byte[] raw = null;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) raw = external(t, where, (long) n * size);
        else if (t.hasRawData()) raw = t.getRawData().toByteArray();
        float[] out = new float[n];
        if (raw != null) {
            if (raw.length != (long) n * size) {
                throw bad(where, "tensor '" + t.getName() + "' holds " + raw.length + " bytes but its shape " + java.util.Arrays.toString(dims)
                        + " of " + typeName(type) + " needs " + (long) n * size);
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (type) {
                    case TensorProto.DataType.FLOAT_VALUE -> b.getFloat(i * 4);
                    case TensorProto.DataType.FLOAT16_VALUE -> Float16.toFloat(Short.toUnsignedInt(b.getShort(i * 2)));
                    case TensorProto.DataType.DOUBLE_VALUE -> (float) b.getDouble(i * 8);
                    case TensorProto.DataType.INT32_VALUE -> b.getInt(i * 4);
                    default -> b.getLong(i * 8);
                };
            }
            return new Data(t.getName(), dims, out);
        }
        int have = switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> t.getFloatDataCount();
            case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleDataCount();
            case TensorProto.DataType.INT64_VALUE -> t.getInt64DataCount();
            default -> t.getInt32DataCount(); // int32 and float16 (bits in int32_data)
        };
        if (have != n) {
            throw bad(where, "tensor '" + t.getName() + "' holds " + have + " values but its shape " + java.util.Arrays.toString(dims) + " needs " + n);
        }
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case TensorProto.DataType.FLOAT_VALUE -> t.getFloatData(i);
                case TensorProto.DataType.DOUBLE_VALUE -> (float) t.getDoubleData(i);
                case TensorProto.DataType.INT64_VALUE -> t.getInt64Data(i);
                case TensorProto.DataType.FLOAT16_VALUE -> Float16.toFloat(t.getInt32Data(i) & 0xffff);
                default -> t.getInt32Data(i);
            };
        }
        return new Data(t.getName(), dims, out);
    }

    private int elementBytes(int type, TensorProto t, String where) throws OnnxFormatException {
        return switch (type) {
            case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
            case TensorProto.DataType.FLOAT16_VALUE -> 2;
            case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> 8;
            default -> throw bad(where, "tensor '" + t.getName() + "' has data type " + typeName(type)
                    + "; clpipe reads float32, float16, float64, int32 and int64");
        };
    }

    /** The bytes of an external-data tensor: a file inside the model's folder, at offset/length. */
    private byte[] external(TensorProto t, String where, long want) throws OnnxFormatException {
        String location = null;
        long offset = 0, length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> { } // checksum and the like: not needed to read the bytes
                }
            } catch (NumberFormatException ex) {
                throw bad(where, "tensor '" + t.getName() + "' has external-data " + e.getKey() + " '" + e.getValue() + "', not a number");
            }
        }
        if (location == null || location.isEmpty()) throw bad(where, "tensor '" + t.getName() + "' is external but names no location");
        Path file = folder.resolve(location).normalize();
        if (Path.of(location).isAbsolute() || !file.startsWith(folder)) {
            throw bad(where, "tensor '" + t.getName() + "' has external data '" + location + "' outside the model's folder " + folder);
        }
        if (!Files.isRegularFile(file)) throw bad(where, "tensor '" + t.getName() + "' has external data file " + file + " which does not exist");
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                throw bad(where, "tensor '" + t.getName() + "' has external data '" + location + "' linking outside the model's folder " + folder);
            }
            long size = Files.size(real);
            long len = length < 0 ? want : length;
            if (offset < 0 || offset + len > size) {
                throw bad(where, "tensor '" + t.getName() + "' wants bytes " + offset + ".." + (offset + len) + " of " + file + " which has " + size);
            }
            if (len > Integer.MAX_VALUE - 8) throw bad(where, "tensor '" + t.getName() + "' has " + len + " external bytes, more than one array holds");
            byte[] bytes = new byte[(int) len];
            try (RandomAccessFile in = new RandomAccessFile(real.toFile(), "r")) {
                in.seek(offset);
                in.readFully(bytes);
            }
            return bytes;
        } catch (IOException e) {
            throw bad(where, "tensor '" + t.getName() + "': cannot read external data " + file + ": " + e.getMessage());
        }
    }

    static String typeName(int type) {
        TensorProto.DataType d = TensorProto.DataType.forNumber(type);
        return d == null ? "#" + type : d.name().toLowerCase();
    }

    OnnxFormatException bad(String where, String message) {
        return new OnnxFormatException(model + ": " + where + ": " + message);
    }
}
