package io.vaultsync.client.sync;

import io.vaultsync.client.remote.CountingTransport;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.ManifestScanner;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

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

  VaultConfig config() {
    return new VaultConfig(URI.create("inprocess://test"), VAULT, device);
  }

  SyncReport init() throws IOException {
    return VaultSetup.init(dir, config(), "secret-token", wire, Clock.systemDefaultZone());
  }

  SyncReport cloneVault() throws IOException {
    return VaultSetup.cloneInto(dir, config(), "secret-token", wire, Clock.systemDefaultZone());
  }

  SyncReport sync() throws IOException {
    return new Syncer(wire, Clock.systemDefaultZone()).sync(dir);
  }

  SyncReport sync(SyncOptions options) throws IOException {
    return new Syncer(wire, Clock.systemDefaultZone()).sync(dir, options);
  }

  SyncPreview preview(SyncOptions options) throws IOException {
    return new Syncer(wire, Clock.systemDefaultZone()).preview(dir, options);
  }

  void delete(String path) throws IOException {
    Files.delete(NotePath.of(path).toFile(dir));
  }

  SyncPlan status() throws IOException {
    return new Syncer(wire, Clock.systemDefaultZone()).status(dir);
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
    Map<String, ContentHash> out = new TreeMap<>();
    new ManifestScanner()
        .scan(dir)
        .manifest()
        .entries()
        .forEach(e -> out.put(e.path().value(), e.hash()));
    return out;
  }

  /** Sorted (path, hash) of the server's head. */
  static Map<String, ContentHash> serverFiles(VaultTransport server) throws IOException {
    Map<String, ContentHash> out = new TreeMap<>();
    server.manifest(VAULT).entries().forEach(e -> out.put(e.path().value(), e.hash()));
    return out;
  }
}
