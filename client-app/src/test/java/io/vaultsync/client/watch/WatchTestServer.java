package io.vaultsync.client.watch;

import io.vaultsync.client.sync.PathHashes;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.ManifestScanner;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.server.app.GrpcRpcEndpoint;
import io.vaultsync.server.app.RpcEndpoint;
import io.vaultsync.server.app.ServerData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole server (SQLite ledger, pack store, master folder, gRPC on 127.0.0.1) that a test can stop
 * abruptly and start again on the same port, as a crash and restart would.
 */
final class WatchTestServer implements AutoCloseable {
  static final String VAULT = "notes";

  private final Path data;
  private ServerData opened;
  private RpcEndpoint.Running rpc;
  private int port;

  WatchTestServer(Path data) throws IOException {
    this.data = data;
    start(0);
  }

  private void start(int listenPort) throws IOException {
    opened = ServerData.open(data, Clock.systemUTC());
    rpc =
        new GrpcRpcEndpoint()
            .start(
                new InetSocketAddress("127.0.0.1", listenPort),
                opened.vaults(),
                opened.tokens(),
                null);
    port = rpc.port();
  }

  /** Stops serving at once: open calls and feeds are cut. */
  void stop() throws IOException {
    opened.vaults().close(); // ends the feeds first, so the endpoint need not wait for them
    rpc.close();
    opened.close();
    opened = null;
  }

  /** Starts again on the same port, from what is on disk. */
  void restart() throws IOException {
    start(port);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  String token(String device) throws IOException {
    return opened.tokens().create(device);
  }

  /** Sorted (path, hash) of the vault's head. */
  Map<String, ContentHash> head() throws IOException {
    return PathHashes.of(opened.vaults().manifest(VAULT));
  }

  long headSeq() throws IOException {
    return opened.vaults().changesSince(VAULT, 0, 1).headSeq();
  }

  List<Change> changesSince(long seq) throws IOException {
    return opened.vaults().changesSince(VAULT, seq, 10_000).changes();
  }

  /** Sorted (path, hash) of the master folder on the server's disk, once mirrored. */
  Map<String, ContentHash> masterCopy() throws IOException {
    opened.vaults().awaitMirrored(VAULT);
    return files(ServerData.vaultsRoot(data).resolve(VAULT));
  }

  boolean stores(ContentHash hash) throws IOException {
    try {
      opened.vaults().fetch(VAULT, hash, null, OutputStream.nullOutputStream());
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** Sorted (path, hash) of a folder, without the state folder and temporary files. */
  static Map<String, ContentHash> files(Path dir) throws IOException {
    Map<String, ContentHash> out = new TreeMap<>();
    new ManifestScanner()
        .scan(dir)
        .manifest()
        .entries()
        .forEach(
            e -> {
              String p = e.path().value();
              if (!p.startsWith(".vaultsync/") && !e.path().name().startsWith(".vstmp-")) {
                out.put(p, e.hash());
              }
            });
    return out;
  }

  @Override
  public void close() throws IOException {
    if (opened != null) {
      stop();
    }
  }
}
