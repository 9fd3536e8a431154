package io.vaultsync.client.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 (port 0) to a server's port, for tests of broken connections: it
 * forwards both ways, byte for byte, and can break each new connection after a number of bytes in
 * one direction ({@link Cut}): close it (FIN), reset it (RST), or stall it (stop forwarding both
 * ways without closing anything, as a hung server or a network that drops packets would). It can
 * also reset or stall every open connection at once. Counts what it forwarded, per direction.
 */
public final class LoopbackRelay implements AutoCloseable {
  /** Which way bytes flow. */
  public enum Direction {
    TO_CLIENT,
    TO_SERVER
  }

  /** What happens to a connection when its cut comes. */
  public enum Fault {
    /** Both sockets closed: the client reads end of stream. */
    CLOSE,
    /** Both sockets reset (RST): the client reads "connection reset". */
    RESET,
    /** Nothing more is forwarded either way; the sockets stay open until the relay closes. */
    STALL
  }

  /** After {@code afterBytes} bytes in {@code direction} on one connection, {@code fault}. */
  public record Cut(Direction direction, long afterBytes, Fault fault) {
    public Cut {
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(fault, "fault");
      if (afterBytes < 0) {
        throw new IllegalArgumentException("cut after " + afterBytes + " bytes; expected >= 0");
      }
    }
  }

  private final int targetPort;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final List<Connection> open = new CopyOnWriteArrayList<>();
  private final AtomicLong toClient = new AtomicLong();
  private final AtomicLong toServer = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger cutsLeft = new AtomicInteger();
  private volatile Cut cut;
  private volatile boolean closed;

  /** Starts relaying 127.0.0.1:{@link #port} to 127.0.0.1:{@code targetPort}. */
  public LoopbackRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "relay-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * Breaks the next {@code count} connections as {@code cut} says ({@code Integer.MAX_VALUE}: every
   * new one); later ones are forwarded whole. Null {@code cut}: forward everything.
   */
  public void cutNext(Cut cut, int count) {
    this.cut = cut;
    cutsLeft.set(cut == null ? 0 : count);
  }

  /** Bytes forwarded from the server to clients, on every connection so far. */
  public long bytesToClient() {
    return toClient.get();
  }

  /** Bytes forwarded from clients to the server, on every connection so far. */
  public long bytesToServer() {
    return toServer.get();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Resets every open connection now (as a server killed with -9 would, seen from the client). */
  public void resetAll() {
    for (Connection c : open) {
      c.fault(Fault.RESET);
    }
  }

  /** Stops forwarding on every open connection now, without closing them. */
  public void stallAll() {
    for (Connection c : open) {
      c.fault(Fault.STALL);
    }
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      connections.incrementAndGet();
      Cut c = cut;
      if (c != null && cutsLeft.getAndDecrement() <= 0) {
        c = null;
      }
      try {
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        Connection conn = new Connection(client, server, c);
        open.add(conn);
        conn.start();
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  /** One relayed connection: two pumps, one per direction. */
  private final class Connection {
    private final Socket client;
    private final Socket server;
    private final Cut cut;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicLong[] forwarded = {new AtomicLong(), new AtomicLong()};
    private volatile boolean stalled;
    private volatile boolean done;

    Connection(Socket client, Socket server, Cut cut) {
      this.client = client;
      this.server = server;
      this.cut = cut;
    }

    void start() throws IOException {
      pump(server.getInputStream(), client, Direction.TO_CLIENT);
      pump(client.getInputStream(), server, Direction.TO_SERVER);
    }

    private void pump(InputStream in, Socket to, Direction direction) throws IOException {
      OutputStream out = to.getOutputStream();
      Thread t =
          new Thread(
              () -> {
                try {
                  run(in, out, to, direction);
                } catch (IOException e) {
                  // the other side went away: end this connection
                  end();
                }
              },
              "relay-" + direction + "-" + port());
      t.setDaemon(true);
      t.start();
    }

    private void run(InputStream in, OutputStream out, Socket to, Direction direction)
        throws IOException {
      AtomicLong count = forwarded[direction.ordinal()];
      AtomicLong total = direction == Direction.TO_CLIENT ? toClient : toServer;
      byte[] buffer = new byte[16 * 1024];
      boolean limited = cut != null && cut.direction() == direction;
      if (limited && cut.afterBytes() == 0) {
        fault(cut.fault());
      }
      while (true) {
        int n = in.read(buffer);
        if (stalled) {
          awaitRelease();
          return;
        }
        if (n < 0) {
          if (!to.isClosed()) {
            to.shutdownOutput(); // pass the half-close on
          }
          return;
        }
        int forward = n;
        if (limited) {
          forward = (int) Math.min(n, Math.max(0, cut.afterBytes() - count.get()));
        }
        if (forward > 0) {
          out.write(buffer, 0, forward);
          out.flush();
          count.addAndGet(forward);
          total.addAndGet(forward);
        }
        if (limited && count.get() >= cut.afterBytes()) {
          fault(cut.fault());
          if (stalled) {
            awaitRelease();
          }
          return;
        }
      }
    }

    private void awaitRelease() {
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void fault(Fault fault) {
      switch (fault) {
        case STALL -> stalled = true;
        case CLOSE -> end();
        case RESET -> {
          try {
            client.setSoLinger(true, 0);
            server.setSoLinger(true, 0);
          } catch (IOException e) {
            // already closed
          }
          end();
        }
      }
    }

    void end() {
      if (done) {
        return;
      }
      done = true;
      closeQuietly(client);
      closeQuietly(server);
      released.countDown();
      open.remove(this);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    for (Connection c : open) {
      c.end();
    }
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
