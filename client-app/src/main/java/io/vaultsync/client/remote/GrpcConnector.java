package io.vaultsync.client.remote;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.transport.ChangeListener;
import io.vaultsync.core.transport.ChangePage;
import io.vaultsync.core.transport.CommitOptions;
import io.vaultsync.core.transport.Mutation;
import io.vaultsync.core.transport.Outcome;
import io.vaultsync.core.transport.RemoteEntry;
import io.vaultsync.core.transport.RemoteManifest;
import io.vaultsync.core.transport.SnapshotInfo;
import io.vaultsync.core.transport.Subscription;
import io.vaultsync.core.transport.VaultInfo;
import io.vaultsync.core.transport.VaultRoot;
import io.vaultsync.core.transport.VaultTransport;
import io.vaultsync.core.tree.NotePath;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Connects to a vaultsync server over gRPC. Server URLs:
 *
 * <ul>
 *   <li>{@code http://HOST[:PORT]}: plaintext, only to a loopback address (127.0.0.0/8, ::1,
 *       localhost) unless the environment variable {@code VAULTSYNC_INSECURE=1} says the user
 *       insists;
 *   <li>{@code https://HOST[:PORT]}: TLS, trusting the system's CAs, or the PEM file named by
 *       {@code VAULTSYNC_CA} (for a self-signed server certificate).
 * </ul>
 *
 * The port defaults to {@value #DEFAULT_PORT}. The transport it returns counts the bytes of the
 * gRPC messages it sends and receives (see {@link WireCounter}).
 */
public final class GrpcConnector implements RemoteConnector {
  public static final int DEFAULT_PORT = 7420;

  @Override
  public VaultTransport connect(URI server, String token) throws IOException {
    String scheme = server.getScheme() == null ? "" : server.getScheme();
    String host = server.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(
          "server URL \""
              + server
              + "\" has no host; expected http://HOST:PORT or https://HOST:PORT");
    }
    int port = server.getPort() < 0 ? DEFAULT_PORT : server.getPort();
    String target =
        (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    ChannelSecurity security =
        switch (scheme) {
          case "http" ->
              "1".equals(System.getenv("VAULTSYNC_INSECURE"))
                  ? ChannelSecurity.insecurePlaintext()
                  : ChannelSecurity.loopbackPlaintext();
          case "https" -> {
            String ca = System.getenv("VAULTSYNC_CA");
            yield ca == null || ca.isEmpty()
                ? ChannelSecurity.tls()
                : ChannelSecurity.tls(Path.of(ca));
          }
          default ->
              throw new IllegalArgumentException(
                  "server URL \""
                      + server
                      + "\" has scheme \""
                      + scheme
                      + "\"; expected http or https");
        };
    return new Counted(
        GrpcVaultTransport.connect(target, token, security, GrpcClientOptions.DEFAULTS));
  }

  /** The gRPC transport, seen as a {@link WireCounter}. */
  private record Counted(GrpcVaultTransport grpc) implements VaultTransport, WireCounter {
    @Override
    public long bytesSent() {
      return grpc.wireStats().bytesSent();
    }

    @Override
    public long bytesReceived() {
      return grpc.wireStats().bytesReceived();
    }

    @Override
    public void createVault(String vault) throws IOException {
      grpc.createVault(vault);
    }

    @Override
    public List<VaultInfo> listVaults() throws IOException {
      return grpc.listVaults();
    }

    @Override
    public ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException {
      return grpc.changesSince(vault, afterSeq, limit);
    }

    @Override
    public RemoteManifest manifest(String vault) throws IOException {
      return grpc.manifest(vault);
    }

    @Override
    public VaultRoot root(String vault) throws IOException {
      return grpc.root(vault);
    }

    @Override
    public SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
      return grpc.snapshot(vault, createNow);
    }

    @Override
    public java.util.List<io.vaultsync.core.transport.Change> history(
        String vault, io.vaultsync.core.tree.NotePath path, long beforeSeq, int limit)
        throws IOException {
      return grpc.history(vault, path, beforeSeq, limit);
    }

    @Override
    public long seqAt(String vault, java.time.Instant time) throws IOException {
      return grpc.seqAt(vault, time);
    }

    @Override
    public RemoteManifest manifestAt(String vault, long seq) throws IOException {
      return grpc.manifestAt(vault, seq);
    }

    @Override
    public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
      return grpc.snapshotManifest(vault, seq);
    }

    @Override
    public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
        throws IOException {
      return grpc.subscribe(vault, afterSeq, listener);
    }

    @Override
    public void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
        throws IOException {
      grpc.fetch(vault, target, base, deltaOut);
    }

    @Override
    public RemoteEntry push(
        String vault, NotePath path, ContentHash base, InputStream delta, String device)
        throws IOException {
      return grpc.push(vault, path, base, delta, device);
    }

    @Override
    public List<Outcome> commit(
        String vault, List<Mutation> mutations, String device, CommitOptions options)
        throws IOException {
      return grpc.commit(vault, mutations, device, options);
    }

    @Override
    public void close() throws IOException {
      grpc.close();
    }
  }
}
