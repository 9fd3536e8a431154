package io.vaultsync.benchmarks.live;

import io.vaultsync.client.grpc.GrpcConnector;
import io.vaultsync.client.sync.NotSynced;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.client.watch.WatchOptions;
import io.vaultsync.client.watch.WatchSession;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One running {@code vaultsync watch DIR}: in its own JVM ({@link #process}, what the benchmark
 * reports by default) or as a {@link WatchSession} in this JVM ({@link #inProcess}). Either way it
 * tells when it is connected and which sync cycles it ran.
 */
public interface WatchClient extends AutoCloseable {
  /**
   * One sync cycle that changed something, as the watch reported it; the byte counts are 0 when the
   * client cannot tell.
   */
  record Cycle(long filesUp, long filesDown, long millis, long bytesSent, long bytesReceived) {}

  /** Waits for the first "connected" (caught up and subscribed). */
  void awaitConnected(Duration timeout) throws IOException, InterruptedException;

  /** The cycles reported so far, oldest first. */
  List<Cycle> cycles();

  /** The operating system's id of the client's process, or -1 when it runs in this JVM. */
  default long pid() {
    return -1;
  }

  @Override
  void close() throws IOException;

  /** {@code java -cp CLASSPATH ... watch DIR --json --debounce MILLIS} in a new JVM. */
  static WatchClient process(
      String name, Path folder, long debounceMillis, String classpath, Path log)
      throws IOException {
    CliProcess p =
        CliProcess.start(
            name,
            List.of(),
            classpath,
            List.of(
                "watch", folder.toString(), "--json", "--debounce", Long.toString(debounceMillis)),
            log);
    return new Process(p);
  }

  /** A {@link WatchSession} on a thread of this JVM, with the CLI's gRPC connector. */
  static WatchClient inProcess(String name, Path folder, long debounceMillis) {
    return new InProcess(name, folder, debounceMillis);
  }

  /** The JSON lines of {@code watch --json}. */
  final class Process implements WatchClient {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(-?\\d+)");
    private final CliProcess process;

    Process(CliProcess process) {
      this.process = process;
    }

    @Override
    public void awaitConnected(Duration timeout) throws IOException, InterruptedException {
      process.awaitLine(l -> l.contains("\"command\":\"connected\""), timeout);
    }

    @Override
    public List<Cycle> cycles() {
      List<Cycle> out = new ArrayList<>();
      for (String line : process.lines()) {
        if (line.contains("\"command\":\"sync\"")) {
          long up = 0;
          long down = 0;
          long millis = 0;
          long sent = 0;
          long received = 0;
          Matcher m = FIELD.matcher(line);
          while (m.find()) {
            switch (m.group(1)) {
              case "filesUp" -> up = Long.parseLong(m.group(2));
              case "filesDown" -> down = Long.parseLong(m.group(2));
              case "millis" -> millis = Long.parseLong(m.group(2));
              case "bytesSent" -> sent = Long.parseLong(m.group(2));
              case "bytesReceived" -> received = Long.parseLong(m.group(2));
              default -> {}
            }
          }
          out.add(new Cycle(up, down, millis, sent, received));
        }
      }
      return out;
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public void close() throws IOException {
      process.close();
    }

    @Override
    public String toString() {
      return process.toString();
    }
  }

  /** A session in this JVM. */
  final class InProcess implements WatchClient {
    private final String name;
    private final WatchSession session;
    private final CompletableFuture<Long> connected = new CompletableFuture<>();
    private final List<Cycle> cycles = new ArrayList<>();
    private final Thread thread;

    InProcess(String name, Path folder, long debounceMillis) {
      this.name = name;
      WatchSession.Reporter reporter =
          new WatchSession.Reporter() {
            @Override
            public void synced(SyncReport r) {
              synchronized (cycles) {
                cycles.add(
                    new Cycle(
                        r.filesUp(), r.filesDown(), r.millis(), r.bytesSent(), r.bytesReceived()));
              }
            }

            @Override
            public void connected(long seq) {
              connected.complete(seq);
            }

            @Override
            public void problem(String message, long retryMillis) {
              System.err.println(name + ": " + message);
            }

            @Override
            public void notSynced(List<NotSynced> files) {
              files.forEach(n -> System.err.println(name + ": not synced: " + n.describe()));
            }
          };
      this.session =
          new WatchSession(
              folder,
              new GrpcConnector(),
              Clock.systemUTC(),
              WatchOptions.DEFAULTS.withDebounce(Duration.ofMillis(debounceMillis)),
              reporter,
              name.hashCode());
      this.thread =
          new Thread(
              () -> {
                try {
                  session.run();
                } catch (IOException | RuntimeException e) {
                  connected.completeExceptionally(e);
                  System.err.println(name + " ended: " + e);
                }
              },
              "watch-" + name);
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void awaitConnected(Duration timeout) throws IOException, InterruptedException {
      try {
        connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException(name + " did not connect: " + e, e);
      }
    }

    @Override
    public List<Cycle> cycles() {
      synchronized (cycles) {
        return List.copyOf(cycles);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        if (!session.stopAndWait(30_000)) {
          throw new IOException(name + " did not stop within 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public String toString() {
      return name + " (in-process)";
    }
  }
}
