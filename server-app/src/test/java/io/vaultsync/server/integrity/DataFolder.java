package io.vaultsync.server.integrity;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.server.TestDeltas;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.PackIndexFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A server data folder with vault {@code notes} committed in two batches (two packs: {@code n1.md},
 * {@code n2.md}, {@code n3.md}, then {@code sub/s1.md}, {@code sub/s2.md}, {@code sub/s3.md}), and
 * the ways of damaging it the tests need: real files deleted, truncated or overwritten, as a disk
 * or an operator would.
 */
public final class DataFolder {
  public static final String VAULT = "notes";

  /** The files of the first batch (pack 0) and the second (pack 1). */
  public static final Map<String, String> FIRST = files("n", 3);

  public static final Map<String, String> SECOND = files("sub/s", 3);

  public final Path dir;

  public DataFolder(Path dir) {
    this.dir = dir;
  }

  private static Map<String, String> files(String prefix, int n) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 1; i <= n; i++) {
      m.put(prefix + i + ".md", "# note " + prefix + i + "\n\nsome text of note " + i + "\n");
    }
    return m;
  }

  /** Builds the folder: the vault and its two batches, written by a real server. */
  public DataFolder build() throws IOException {
    try (ServerData data = ServerData.open(dir, Clock.systemUTC())) {
      data.vaults().createVault(VAULT);
      commit(data, FIRST);
      commit(data, SECOND);
      data.vaults().awaitMirrored(VAULT);
    }
    return this;
  }

  private static void commit(ServerData data, Map<String, String> files) throws IOException {
    List<Mutation> puts = new ArrayList<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      puts.add(
          new Mutation.Put(NotePath.of(f.getKey()), null, TestDeltas.delta(bytes(f.getValue()))));
    }
    data.vaults().commit(VAULT, puts, "laptop");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static ContentHash hash(String content) {
    return ContentHash.digestOf(bytes(content));
  }

  public Path packs() {
    return dir.resolve("store/packs");
  }

  /** The pack files (or their indexes, with {@code ".idx"}) in commit order. */
  public List<Path> files(String extension) throws IOException {
    try (Stream<Path> s = Files.list(packs())) {
      return s.filter(p -> p.getFileName().toString().endsWith(extension)).sorted().toList();
    }
  }

  public Path pack(int i) throws IOException {
    return files(".pack").get(i);
  }

  public Path index(int i) throws IOException {
    return files(".idx").get(i);
  }

  public Path database() {
    return dir.resolve("vaultsync.db");
  }

  /** Flips one bit in the stored bytes of {@code content} (in whichever pack holds it). */
  public Path flipByteOf(String content) throws IOException {
    byte[] wanted = bytes(content);
    for (Path pack : files(".pack")) {
      byte[] data = Files.readAllBytes(pack);
      for (int i = 0; i + wanted.length <= data.length; i++) {
        if (java.util.Arrays.equals(data, i, i + wanted.length, wanted, 0, wanted.length)) {
          data[i + wanted.length / 2] ^= 0x01;
          Files.write(pack, data);
          return pack;
        }
      }
    }
    throw new IllegalStateException("no pack holds " + content);
  }

  /**
   * Rewrites pack {@code i} in the layout of a store written before framed packs (version 1: the
   * stored bytes only, an index of version 1), as an old server left it.
   */
  public void makeUnframed(int i) throws IOException {
    Path pack = pack(i);
    Path idx = index(i);
    PackIndexFormat.Parsed parsed = PackIndexFormat.read(Files.readAllBytes(idx));
    byte[] data = Files.readAllBytes(pack);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<PackIndexFormat.Entry> entries = new ArrayList<>();
    for (PackIndexFormat.Entry e : parsed.entries()) {
      entries.add(new PackIndexFormat.Entry(e.hash(), out.size(), e.length()));
      out.write(data, (int) e.offset(), (int) e.length());
    }
    Files.write(pack, out.toByteArray());
    ByteArrayOutputStream index = new ByteArrayOutputStream();
    PackIndexFormat.write(entries, out.size(), false, index);
    Files.write(idx, index.toByteArray());
  }

  /**
   * Takes the master folder's copies away as a crash would that came after the server acknowledged
   * the commits and before it wrote them there (the vault's mirrored seq back to 0): then the
   * server cannot get lost content back from its own disk, only from devices.
   */
  public void loseMasterCopies() throws IOException {
    Path vault = dir.resolve("vaults").resolve(VAULT);
    for (String f : FIRST.keySet()) {
      Files.deleteIfExists(vault.resolve(f));
    }
    for (String f : SECOND.keySet()) {
      Files.deleteIfExists(vault.resolve(f));
    }
    try (ServerData.LedgerDatabase db = ServerData.openLedger(dir)) {
      db.ledger().setMirroredSeq(VaultName.of(VAULT), 0);
    }
  }

  /**
   * Overwrites the first bytes of the root page of index {@code name} of the database (the server
   * stopped): a damaged page, as a bad sector leaves it.
   */
  public void damageDatabasePageOf(String name) throws Exception {
    long root;
    long pageSize;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database());
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = '" + name + "'")) {
        rs.next();
        root = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        rs.next();
        pageSize = rs.getLong(1);
      }
    }
    try (var ch =
        java.nio.channels.FileChannel.open(database(), java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(
          java.nio.ByteBuffer.wrap(
              new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 9, 9, 9, 9}),
          (root - 1) * pageSize);
    }
  }

  /**
   * What a clone of the vault gets from {@code data} in one batched fetch: each head file's content
   * or, for the items the server reports, its message ("not found: …").
   */
  public static Map<String, String> fetchAll(ServerData data) throws IOException {
    List<io.vaultsync.protocol.RemoteEntry> head = data.vaults().manifest(VAULT).entries();
    List<FetchItem> items = new ArrayList<>();
    head.forEach(e -> items.add(new FetchItem(e.hash(), null)));
    Map<String, String> got = new TreeMap<>();
    ByteArrayOutputStream[] current = new ByteArrayOutputStream[1];
    data.vaults()
        .fetchMany(
            VAULT,
            items,
            new FetchReceiver() {
              @Override
              public OutputStream begin(int index) {
                current[0] = new ByteArrayOutputStream();
                return current[0];
              }

              @Override
              public void end(int index) throws IOException {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Deltas.patch(
                    io.vaultsync.core.delta.Basis.of(new byte[0]),
                    new ByteArrayInputStream(current[0].toByteArray()),
                    out);
                got.put(head.get(index).path().value(), out.toString(StandardCharsets.UTF_8));
              }

              @Override
              public void notFound(int index, String message) {
                got.put(head.get(index).path().value(), "not found: " + message);
              }
            });
    return got;
  }

  /** Every file of the vault as it was committed. */
  public static Map<String, String> all() {
    Map<String, String> m = new TreeMap<>(FIRST);
    m.putAll(SECOND);
    return m;
  }
}
