package dev.clpipe.spark;

import dev.clpipe.nn.train.GroupReplicaSession;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The members' all-gather over direct TCP connections, one per pair (a full mesh): each member
 * sends its message to every other and reads theirs, so a step moves (N-1) messages in and out of
 * each member and nothing through the driver. {@code BarrierTaskContext.allGather} is used once,
 * to exchange the listening addresses: for every step it would cost at least a second, since it
 * polls for its answer once a second (Spark 4.0's {@code runBarrier} sleeps 1000 ms between checks).
 * Writes run on one thread per peer, so two members sending large messages to each other at once
 * cannot both block on full socket buffers.
 */
final class SocketExchange implements GroupReplicaSession.Exchange, AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 60_000;
    private final int rank;
    private final int size;
    private final Socket[] peers;
    private final DataInputStream[] in;
    private final DataOutputStream[] out;
    private final ExecutorService writers;

    /**
     * Listens on {@code host}, gathers every member's {@code host:port} through {@code addresses}
     * (a barrier all-gather of strings in rank order), accepts the higher ranks and connects to the lower.
     */
    static SocketExchange open(int rank, int size, String host, Function<String, String[]> addresses) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), size);
            server.setSoTimeout(CONNECT_TIMEOUT_MS);
            String[] all = addresses.apply(host + ":" + server.getLocalPort());
            Socket[] peers = new Socket[size];
            for (int r = 0; r < rank; r++) {
                int colon = all[r].lastIndexOf(':');
                Socket s = new Socket();
                s.connect(new InetSocketAddress(all[r].substring(0, colon), Integer.parseInt(all[r].substring(colon + 1))), CONNECT_TIMEOUT_MS);
                new DataOutputStream(s.getOutputStream()).writeInt(rank);
                peers[r] = s;
            }
            for (int k = rank + 1; k < size; k++) {
                Socket s = server.accept();
                int from = new DataInputStream(s.getInputStream()).readInt();
                if (from <= rank || from >= size || peers[from] != null) throw new IOException("member " + rank + ": unexpected connection from member " + from);
                peers[from] = s;
            }
            return new SocketExchange(rank, size, peers);
        } catch (java.net.SocketTimeoutException e) {
            throw new IOException("member " + rank + " of " + size + " on " + host + ": the other members did not connect within "
                    + CONNECT_TIMEOUT_MS / 1000 + " s (is TCP between executors blocked?)", e);
        }
    }

    private SocketExchange(int rank, int size, Socket[] peers) throws IOException {
        this.rank = rank;
        this.size = size;
        this.peers = peers;
        this.in = new DataInputStream[size];
        this.out = new DataOutputStream[size];
        for (int r = 0; r < size; r++) {
            if (r == rank) continue;
            peers[r].setTcpNoDelay(true);
            in[r] = new DataInputStream(new BufferedInputStream(peers[r].getInputStream(), 1 << 16));
            out[r] = new DataOutputStream(new BufferedOutputStream(peers[r].getOutputStream(), 1 << 16));
        }
        this.writers = Executors.newFixedThreadPool(Math.max(1, size - 1), r -> {
            Thread t = new Thread(r, "clpipe-exchange-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public List<byte[]> allGather(byte[] mine) {
        List<Future<?>> sent = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            if (r == rank) continue;
            DataOutputStream o = out[r];
            sent.add(writers.submit(() -> {
                o.writeInt(mine.length);
                o.write(mine);
                o.flush();
                return null;
            }));
        }
        List<byte[]> all = new ArrayList<>(size);
        try {
            for (int r = 0; r < size; r++) {
                if (r == rank) {
                    all.add(mine);
                    continue;
                }
                byte[] m = new byte[in[r].readInt()];
                in[r].readFully(m);
                all.add(m);
            }
            for (Future<?> f : sent) f.get();
        } catch (IOException e) {
            throw new UncheckedIOException("member " + rank + ": the exchange with the other members broke (a member died?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("member " + rank + ": interrupted during the exchange", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UncheckedIOException("member " + rank + ": sending to the other members failed", new IOException(e.getCause()));
        }
        return all;
    }

    @Override
    public void close() {
        writers.shutdownNow();
        for (Socket s : peers) {
            try {
                if (s != null) s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
