package io.vaultsync.benchmarks.wan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * A user-space TCP proxy that shapes traffic like a WAN link (the kernel's netem is not available
 * on the benchmark machines): it listens on 127.0.0.1 (port 0), connects each accepted connection
 * to 127.0.0.1:{@code targetPort} (asked anew per connection, so the target may change between
 * connections), and forwards the bytes of each direction in order, each direction as its own link:
 *
 * <ul>
 *   <li><b>rate</b>: the bytes of a direction are serialised at {@link Link#bitsPerSecond()}: a
 *       link clock per direction gives each chunk read (at most {@value #SLICE} bytes) its
 *       transmission slot, after the previous chunk's (a token bucket with a bucket of one chunk);
 *   <li><b>delay</b>: a chunk leaves no earlier than {@link Link#oneWayDelay()} after its slot
 *       ends, so every byte leaves no earlier than the delay after it arrived and no faster than
 *       the rate;
 *   <li><b>queue</b>: what has arrived but not left is bounded ({@link #queueBytes}: the
 *       bandwidth-delay product plus 256 KiB of buffer); when it is full the proxy stops reading,
 *       so the sender's TCP backs off as at a real bottleneck;
 *   <li><b>handshake</b>: nothing is forwarded toward the target before one round trip after the
 *       connection was accepted (a real TCP connect costs a round trip before the first byte);
 *   <li><b>close</b>: an end of stream is forwarded after the data before it, as a half-close
 *       ({@code shutdownOutput}), so each direction ends on its own; the connection is closed when
 *       both directions ended, or at once when either side fails.
 * </ul>
 *
 * <p>Not modelled: TCP's own slow start and windows (each leg is loopback TCP, acknowledged at
 * once); round trips the application makes (HTTP/2 flow control, request and answer) and the
 * handshake are. Four platform threads per connection (a reader and a writer per direction); the
 * benchmarks open a handful of connections.
 */
public final class ShapingProxy implements AutoCloseable {
  /** The largest chunk read and forwarded at once. */
  static final int SLICE = 16 * 1024;

  private final Link link;
  private final IntSupplier targetPort;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong upBytes = new AtomicLong();
  private final AtomicLong downBytes = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean closed;

  private ShapingProxy(Link link, IntSupplier targetPort, ServerSocket server) {
    this.link = link;
    this.targetPort = targetPort;
    this.server = server;
    this.acceptor = new Thread(this::acceptLoop, "shaping-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
  }

  /**
   * Starts a proxy shaped as {@code link} on 127.0.0.1, port 0, forwarding to 127.0.0.1 at the port
   * {@code targetPort} gives when a connection arrives.
   */
  public static ShapingProxy start(Link link, IntSupplier targetPort) throws IOException {
    if (!link.shaped()) {
      throw new IllegalArgumentException("a shaping proxy needs a shaped link, not " + link);
    }
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    ShapingProxy p = new ShapingProxy(link, targetPort, s);
    p.acceptor.start();
    return p;
  }

  /** The port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  public Link link() {
    return link;
  }

  /** Bytes forwarded from clients to the target so far. */
  public long bytesUp() {
    return upBytes.get();
  }

  /** Bytes forwarded from the target to clients so far. */
  public long bytesDown() {
    return downBytes.get();
  }

  /** Connections accepted so far. */
  public long connectionsAccepted() {
    return accepted.get();
  }

  /** Connections not yet closed. */
  public int openConnections() {
    return open.size();
  }

  /** The bound on bytes queued per direction: the bandwidth-delay product plus 256 KiB. */
  long queueBytes() {
    double bdp = link.bytesPerSecond() * link.oneWayDelay().toNanos() / 1e9;
    return (long) Math.min(64L << 20, bdp + (256 << 10));
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      long handshakeEnd = System.nanoTime() + link.rtt().toNanos();
      Socket target = new Socket();
      try {
        client.setTcpNoDelay(true);
        target.setTcpNoDelay(true);
        target.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort.getAsInt()), 10_000);
      } catch (IOException | RuntimeException e) {
        // the target is not there: the client sees its connection closed, as with a refused one
        closeQuietly(client);
        closeQuietly(target);
        continue;
      }
      Connection c = new Connection(client, target);
      open.add(c);
      if (closed) {
        c.abort();
        return;
      }
      c.start(handshakeEnd);
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Connection c : open) {
      c.abort();
    }
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "shaping proxy 127.0.0.1:" + port() + " (" + link.label() + ")";
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing after a failure or at the end: nothing left to do
    }
  }

  /** One proxied connection: a client socket, a target socket, a pipe each way. */
  private final class Connection {
    private final Socket client;
    private final Socket target;
    private final Pipe up;
    private final Pipe down;
    private int ended;

    Connection(Socket client, Socket target) {
      this.client = client;
      this.target = target;
      String name = "shaping-proxy-" + port() + "-" + client.getPort();
      this.up = new Pipe(name + "-up", client, target, upBytes);
      this.down = new Pipe(name + "-down", target, client, downBytes);
    }

    void start(long handshakeEndNanos) {
      up.linkFree = handshakeEndNanos;
      down.linkFree = System.nanoTime();
      up.start();
      down.start();
    }

    /** One direction forwarded its end of stream; both: the connection is done. */
    synchronized void ended() {
      if (++ended == 2) {
        finish();
      }
    }

    void abort() {
      up.stop();
      down.stop();
      finish();
    }

    private void finish() {
      closeQuietly(client);
      closeQuietly(target);
      open.remove(this);
    }

    /** One direction: a reader that stamps and queues chunks, a writer that releases them. */
    private final class Pipe {
      private final Socket from;
      private final Socket to;
      private final AtomicLong counter;
      private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
      private final Semaphore room = new Semaphore((int) Math.min(Integer.MAX_VALUE, queueBytes()));
      private final Thread reader;
      private final Thread writer;
      private long linkFree; // the end of the last transmission slot (reader thread only)

      Pipe(String name, Socket from, Socket to, AtomicLong counter) {
        this.from = from;
        this.to = to;
        this.counter = counter;
        this.reader = new Thread(this::read, name + "-read");
        this.writer = new Thread(this::write, name + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
      }

      void start() {
        reader.start();
        writer.start();
      }

      void stop() {
        reader.interrupt();
        writer.interrupt();
      }

      /**
       * The time a chunk of {@code n} bytes that arrived now may leave; advances the link clock.
       */
      private long departure(int n) {
        long now = System.nanoTime();
        long start = Math.max(linkFree, now);
        linkFree = start + (long) Math.ceil(n * 1e9 / link.bytesPerSecond());
        return linkFree + link.oneWayDelay().toNanos();
      }

      private void read() {
        try {
          InputStream in = from.getInputStream();
          byte[] buf = new byte[SLICE];
          while (true) {
            int n = in.read(buf);
            if (n < 0) {
              queue.put(new Chunk(null, departure(0)));
              return;
            }
            room.acquire(n); // a full queue: stop reading, the sender backs off
            long depart = departure(n);
            byte[] data = new byte[n];
            System.arraycopy(buf, 0, data, 0, n);
            queue.put(new Chunk(data, depart));
          }
        } catch (IOException | InterruptedException e) {
          abort(); // a reset, or the connection is being closed
        }
      }

      private void write() {
        try {
          OutputStream out = to.getOutputStream();
          while (true) {
            Chunk c = queue.take();
            long wait;
            while ((wait = c.departNanos - System.nanoTime()) > 0) {
              LockSupport.parkNanos(wait);
              if (Thread.interrupted()) {
                throw new InterruptedException();
              }
            }
            if (c.data == null) {
              try {
                to.shutdownOutput();
              } catch (SocketException e) {
                // the other side is already gone: nothing more to tell it
              }
              ended();
              return;
            }
            out.write(c.data);
            out.flush();
            counter.addAndGet(c.data.length);
            room.release(c.data.length);
          }
        } catch (IOException | InterruptedException e) {
          abort();
        }
      }
    }
  }

  /** Bytes and the time they may leave; null bytes: the end of the stream. */
  private record Chunk(byte[] data, long departNanos) {}
}
