package io.vaultsync.benchmarks.live;

import io.vaultsync.server.app.ServerCommand;
import io.vaultsync.server.app.ServerData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;

/**
 * {@code vaultsync server --data DIR --listen 127.0.0.1:0} inside this JVM: the same command a user
 * runs (SQLite ledger, pack store, master folders and their watcher, gRPC on Netty), on a port the
 * kernel picks, stopped by {@link #close}.
 */
public final class LocalServer implements AutoCloseable {
  private final CompletableFuture<Void> stop = new CompletableFuture<>();
  private final CompletableFuture<ServerCommand.Running> started = new CompletableFuture<>();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  public LocalServer(Path data) throws IOException {
    Thread t =
        new Thread(
            () -> {
              try {
                int code =
                    new CommandLine(new ServerCommand(null, stop, started::complete))
                        .execute("--data", data.toString(), "--listen", "127.0.0.1:0");
                exit.complete(code);
                started.completeExceptionally(new IOException("server exited with " + code));
              } catch (RuntimeException e) {
                exit.completeExceptionally(e);
                started.completeExceptionally(e);
              }
            },
            "local-server");
    t.setDaemon(true);
    t.start();
    try {
      started.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the server started", e);
    } catch (ExecutionException | TimeoutException e) {
      stop.complete(null);
      throw new IOException("the server did not start: " + e, e);
    }
  }

  public int port() {
    return started.join().port();
  }

  public ServerData data() {
    return started.join().data();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() throws IOException {
    stop.complete(null);
    try {
      exit.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the server did not stop cleanly: " + e, e);
    }
  }
}
