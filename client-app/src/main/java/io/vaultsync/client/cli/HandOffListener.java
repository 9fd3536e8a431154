package io.vaultsync.client.cli;

import io.vaultsync.client.sync.SyncOptions;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.client.watch.WatchSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The watch's side of the local hand-off (docs/FORMAT.md, "Local hand-off"): a {@code vaultsync
 * sync DIR} started while a {@code vaultsync watch} runs on DIR hands its round to the watch, which
 * has the connection open and the index in memory. Listens on 127.0.0.1 only, port 0, and publishes
 * the port and a random secret in the folder's {@link HandOffEndpoint} file. Per connection: the
 * secret (compared in constant time; a wrong one is refused), the request (only the options a watch
 * round honours; any other asks the client to sync by itself), {@code accepted}, then the lines the
 * one-shot {@code sync} would print and its exit code. Request lines are bounded and must arrive
 * within {@link #REQUEST_TIMEOUT_MILLIS}; at most {@link #MAX_CLIENTS} are served at once. A
 * failing round is reported to its client as the one-shot sync reports it, never ends the watch.
 */
final class HandOffListener implements AutoCloseable {
  /** The first word and version of the first request line. */
  static final String HELLO = "vaultsync-handoff 1";

  /** Longest request line, in bytes (without its line feed). */
  static final int MAX_LINE = 1024;

  static final int REQUEST_TIMEOUT_MILLIS = 5_000;

  static final int MAX_CLIENTS = 8;

  /** The sync options a watch round honours (the others are refused: the client syncs itself). */
  static final Set<String> HONOURED = Set.of("--json", "--allow-mass-delete", "-q", "--quiet");

  /** Options of the launcher itself, passed along but meaning nothing to the round. */
  static final Set<String> LAUNCHER = Set.of("--verbose");

  private final Path folder;
  private final WatchSession session;
  private final Supplier<URI> server;
  private final ServerSocket socket;
  private final HandOffEndpoint endpoint;
  private final Thread acceptor;
  private final ThreadPoolExecutor clients =
      new ThreadPoolExecutor(
          0,
          MAX_CLIENTS,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "vaultsync-handoff");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;

  private HandOffListener(Path folder, WatchSession session, Supplier<URI> server)
      throws IOException {
    this.folder = folder;
    this.session = session;
    this.server = server;
    this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    this.endpoint = HandOffEndpoint.fresh(socket.getLocalPort());
    this.acceptor = new Thread(this::acceptLoop, "vaultsync-handoff-accept");
    acceptor.setDaemon(true);
  }

  /**
   * Listens for hand-offs to {@code session}, the watch of {@code folder}, and publishes the
   * endpoint; {@code server} names the watch's server in error messages.
   */
  static HandOffListener start(Path folder, WatchSession session, Supplier<URI> server)
      throws IOException {
    HandOffListener l = new HandOffListener(folder, session, server);
    try {
      l.endpoint.write(folder);
    } catch (IOException e) {
      l.socket.close();
      throw e;
    }
    l.acceptor.start();
    return l;
  }

  HandOffEndpoint endpoint() {
    return endpoint;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue; // a client that went away while connecting
      }
      try {
        clients.execute(() -> serve(s));
      } catch (RejectedExecutionException busy) {
        closeQuietly(s); // the client falls back to syncing by itself
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(REQUEST_TIMEOUT_MILLIS);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      String hello = readLine(in);
      if (hello == null || !hello.startsWith(HELLO + " ")) {
        send(out, "refused expected \"" + HELLO + " SECRET\"");
        return;
      }
      byte[] given = hello.substring(HELLO.length() + 1).getBytes(StandardCharsets.US_ASCII);
      if (!MessageDigest.isEqual(given, endpoint.secret().getBytes(StandardCharsets.US_ASCII))) {
        send(out, "refused wrong secret");
        return;
      }
      String request = readLine(in);
      List<String> words = request == null ? List.of() : List.of(request.split(" ", -1));
      if (words.isEmpty() || !words.get(0).equals("sync")) {
        send(out, "refused expected \"sync [OPTION...]\"");
        return;
      }
      boolean json = false;
      boolean allowMassDelete = false;
      for (String w : words.subList(1, words.size())) {
        if (!HONOURED.contains(w) && !LAUNCHER.contains(w)) {
          send(out, "fallback option \"" + printable(w) + "\" is not handed to a watch");
          return;
        }
        json |= w.equals("--json");
        allowMassDelete |= w.equals("--allow-mass-delete");
      }
      Optional<CompletableFuture<SyncReport>> round =
          session.syncNow(allowMassDelete ? SyncOptions.ALLOW_MASS_DELETE : SyncOptions.DEFAULTS);
      if (round.isEmpty()) {
        send(out, "fallback the watch is not connected to its server now");
        return;
      }
      send(out, "accepted");
      s.setSoTimeout(0);
      answer(out, round.get(), json);
    } catch (IOException e) {
      // the client went away, was too slow or sent too long a line: it falls back by itself
    }
  }

  /** Waits for the round and sends what the one-shot sync would print, and its exit code. */
  private void answer(OutputStream out, CompletableFuture<SyncReport> round, boolean json)
      throws IOException {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(stdout);
        PrintWriter e = new PrintWriter(stderr)) {
      try {
        code = VaultCommand.report(o, round.get(), json);
      } catch (CancellationException dropped) {
        send(out, "fallback the watch dropped the request (disconnected or stopping)");
        return;
      } catch (InterruptedException stop) {
        Thread.currentThread().interrupt();
        send(out, "fallback the watch is stopping");
        return;
      } catch (ExecutionException failed) {
        code = failure(e, failed.getCause());
      }
    }
    List<String> lines = new ArrayList<>();
    stdout.toString().lines().forEach(l -> lines.add("out " + l));
    stderr.toString().lines().forEach(l -> lines.add("err " + l));
    lines.add("exit " + code);
    send(out, String.join("\n", lines));
  }

  /** Prints a failed round as the one-shot sync would; its exit code. */
  private int failure(PrintWriter err, Throwable cause) {
    if (cause instanceof IOException
        || cause instanceof UncheckedIOException
        || cause instanceof IllegalArgumentException) {
      return VaultCommand.failed(
          err, "sync", (Exception) cause, server.get(), new ErrorMessages.During("sync", -1, -1));
    }
    err.println("vaultsync: sync: internal error in the watch's round (a bug): " + cause);
    err.flush();
    return VaultsyncCommand.EXIT_INTERNAL;
  }

  /**
   * One request line, without its line feed: null at end of stream; an IOException for a line over
   * {@link #MAX_LINE} bytes (read no further) or none within the socket's timeout.
   */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("hand-off request line over " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
  }

  private static void send(OutputStream out, String lines) throws IOException {
    out.write((lines + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String printable(String w) {
    String s = w.length() > 64 ? w.substring(0, 64) + "..." : w;
    return s.replaceAll("\\p{Cntrl}", "?");
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** Stops listening and removes the endpoint file; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    endpoint.remove(folder);
    try {
      socket.close();
    } catch (SocketException e) {
      // closed already
    } catch (IOException e) {
      // closing anyway
    }
    clients.shutdown();
  }
}
