package io.vaultsync.client.sync;

import io.vaultsync.client.remote.CountingTransport;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** One client folder syncing with a shared in-process server, for tests. */
final class Replica {
  static final String VAULT = "notes";

  final Path dir;
  final String device;
  final VaultTransport server;
  CountingTransport wire;

  Replica(Path dir, String device, VaultTransport server) {
    this.dir = dir;
    this.device = device;
    this.server = server;
    this.wire = new CountingTransport(server);
  }

  /** What a test writes into a folder before it is uploaded. */
  @FunctionalInterface
  interface Filling {
    void fill(Replica r) throws IOException;
  }

  /**
   * The two replicas most scenarios start from: the laptop's folder {@code a} under {@code tmp},
   * filled by {@code filling} and uploaded as the vault, and the phone's {@code b} cloned from it.
   */
  static Replica[] pair(Path tmp, VaultTransport server, Filling filling) throws IOException {
    Replica a = new Replica(tmp.resolve("a"), "laptop", server);
    Files.createDirectories(a.dir);
    filling.fill(a);
    a.init();
    Replica b = new Replica(tmp.resolve("b"), "phone", server);
    b.cloneVault();
    return new Replica[] {a, b};
  }

  /** As {@link #pair(Path, VaultTransport, Filling)}, the laptop's folder holding {@code files}. */
  static Replica[] pair(Path tmp, VaultTransport server, Map<String, String> files)
      throws IOException {
    return pair(
        tmp,
        server,
        a -> {
          for (Map.Entry<String, String> e : files.entrySet()) {
            a.write(e.getKey(), e.getValue());
          }
        });
  }

  VaultConfig config() {
    return new VaultConfig(URI.create("inprocess://test"), VAULT, device);
  }

  SyncReport init() throws IOException {
    return VaultSetup.init(dir, config(), "secret-token", wire, Clock.systemDefaultZone());
  }

  SyncReport cloneVault() throws IOException {
    return VaultSetup.cloneInto(dir, config(), "secret-token", wire, Clock.systemDefaultZone());
  }

  /** A syncer of this replica's connection, on the system clock. */
  Syncer syncer() {
    return new Syncer(wire, Clock.systemDefaultZone());
  }

  SyncReport sync() throws IOException {
    return syncer().sync(dir);
  }

  SyncReport sync(SyncOptions options) throws IOException {
    return syncer().sync(dir, options);
  }

  SyncPreview preview(SyncOptions options) throws IOException {
    return syncer().preview(dir, options);
  }

  void delete(String path) throws IOException {
    Files.delete(NotePath.of(path).toFile(dir));
  }

  SyncPlan status() throws IOException {
    return syncer().status(dir);
  }

  /** Starts counting afresh. */
  CountingTransport resetWire() {
    wire = new CountingTransport(server);
    return wire;
  }

  void write(String path, String content) throws IOException {
    Path f = NotePath.of(path).toFile(dir);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content, StandardCharsets.UTF_8);
  }

  void write(String path, byte[] content) throws IOException {
    Path f = NotePath.of(path).toFile(dir);
    Files.createDirectories(f.getParent());
    Files.write(f, content);
  }

  String read(String path) throws IOException {
    return Files.readString(NotePath.of(path).toFile(dir), StandardCharsets.UTF_8);
  }

  boolean exists(String path) {
    return Files.exists(NotePath.of(path).toFile(dir));
  }

  /** Sorted (path, hash) of the folder, excluding the state folder. */
  Map<String, ContentHash> files() throws IOException {
    return PathHashes.ofFolder(dir);
  }

  /** Sorted (path, hash) of the server's head. */
  static Map<String, ContentHash> serverFiles(VaultTransport server) throws IOException {
    return PathHashes.of(server.manifest(VAULT));
  }
}
