package io.vaultsync.server.integrity;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Limits;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.ledger.VaultRow;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WantedContent} in the table {@code wanted_content} of the server's SQLite database
 * (created on first use, like {@code retention_policies}: optional data, no schema step), mirrored
 * in memory, so asking "does this vault want anything?" costs nothing in the usual case, when the
 * set is empty. One process owns the embedded server's database, so the memory copy is the truth
 * between writes. The processes of a shared server ({@link #openShared}) each want and store
 * content, so there every read first reloads the copy from the table (one small query: the table is
 * empty unless something was lost), and a want recorded by one process is asked for by all.
 */
public final class SqlWantedContent implements WantedContent {
  private static final Logger log = LoggerFactory.getLogger(SqlWantedContent.class);

  private final Database db;
  private final Clock clock;
  private final Map<ContentHash, Want> wanted = new ConcurrentHashMap<>();

  /** A cached {@link #atHead} answer: valid while the set's generation and the head seq hold. */
  private record HeadAnswer(long generation, long headSeq, List<ContentHash> hashes) {}

  private final Map<VaultName, HeadAnswer> cache = new ConcurrentHashMap<>();

  private volatile long generation;

  /** Whether other processes write the table too (then reads reload it first). */
  private final boolean shared;

  private SqlWantedContent(Database db, Clock clock, boolean shared) {
    this.db = db;
    this.clock = clock;
    this.shared = shared;
  }

  /** The wanted set of {@code db} (creating its table if needed). */
  public static SqlWantedContent open(Database db, Clock clock) throws IOException {
    return open(db, clock, false);
  }

  /** The wanted set of a database that several server processes share. */
  public static SqlWantedContent openShared(Database db, Clock clock) throws IOException {
    return open(db, clock, true);
  }

  private static SqlWantedContent open(Database db, Clock clock, boolean shared)
      throws IOException {
    SqlWantedContent w = new SqlWantedContent(db, clock, shared);
    db.createTablesIfMissing(
        "CREATE TABLE IF NOT EXISTS wanted_content ("
            + " hash BLOB PRIMARY KEY,"
            + " size INTEGER NOT NULL,"
            + " reason TEXT NOT NULL,"
            + " since_ms INTEGER NOT NULL) WITHOUT ROWID");
    w.reload();
    return w;
  }

  /** Replaces the memory copy with the table. */
  private synchronized void reload() throws IOException {
    Map<ContentHash, Want> now = new java.util.HashMap<>();
    db.read(
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs =
                  st.executeQuery("SELECT hash, size, reason, since_ms FROM wanted_content")) {
            while (rs.next()) {
              ContentHash h = ContentHash.of(rs.getBytes(1));
              now.put(h, new Want(h, rs.getLong(2), rs.getString(3), rs.getLong(4)));
            }
          }
          return null;
        });
    if (!now.equals(wanted)) {
      wanted.keySet().retainAll(now.keySet());
      wanted.putAll(now);
      generation++;
    }
  }

  /** The wanted set as the table holds it now: reloaded first when other processes write it. */
  private Map<ContentHash, Want> current() {
    if (shared) {
      try {
        reload();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return wanted;
  }

  @Override
  public boolean isEmpty() {
    return current().isEmpty();
  }

  @Override
  public int size() {
    return current().size();
  }

  @Override
  public boolean contains(ContentHash hash) {
    return current().containsKey(hash);
  }

  @Override
  public long size(ContentHash hash) {
    Want w = current().get(hash);
    return w == null ? -1 : w.size();
  }

  @Override
  public List<Want> all() {
    return List.copyOf(current().values());
  }

  @Override
  public Set<ContentHash> hashes() {
    return Set.copyOf(current().keySet());
  }

  @Override
  public synchronized void want(ContentHash hash, long size, String reason) throws IOException {
    if (!shared && wanted.containsKey(hash)) {
      return;
    }
    Want w = new Want(hash, size, reason, clock.millis());
    db.transaction(
        c -> {
          return Sql.update(
              c,
              "INSERT INTO wanted_content (hash, size, reason, since_ms)"
                  + " VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
              hash.toBytes(),
              size,
              reason,
              w.sinceMillis());
        });
    wanted.putIfAbsent(hash, w);
    generation++;
  }

  @Override
  public synchronized void drop(Collection<ContentHash> hashes) throws IOException {
    if (shared) {
      reload();
    }
    List<ContentHash> gone = new ArrayList<>();
    for (ContentHash h : hashes) {
      if (wanted.containsKey(h)) {
        gone.add(h);
      }
    }
    if (gone.isEmpty()) {
      return;
    }
    db.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM wanted_content WHERE hash = ?")) {
            for (ContentHash h : gone) {
              ps.setBytes(1, h.toBytes());
              ps.executeUpdate();
            }
          }
          return null;
        });
    gone.forEach(wanted::remove);
    generation++;
    log.debug("{} wanted contents are stored again; {} still wanted", gone.size(), wanted.size());
  }

  @Override
  public List<ContentHash> atHead(VaultName vault) throws IOException {
    if (shared) {
      reload();
    }
    if (wanted.isEmpty()) {
      return List.of();
    }
    long gen = generation;
    return db.read(
        c -> {
          VaultRow v = VaultRow.find(c, vault);
          if (v == null) {
            return List.<ContentHash>of();
          }
          long headSeq = v.headSeq();
          HeadAnswer cached = cache.get(vault);
          if (cached != null && cached.generation() == gen && cached.headSeq() == headSeq) {
            return cached.hashes();
          }
          // CROSS JOIN (with the join condition in WHERE, which PostgreSQL accepts too) keeps head
          // (one range of its primary key) as the outer loop, probing the
          // small wanted table by its key, instead of a scan of head per wanted row.
          List<ContentHash> out =
              Sql.list(
                  c,
                  "SELECT DISTINCT h.hash FROM head h CROSS JOIN wanted_content w"
                      + " WHERE w.hash = h.hash AND h.vault_id = ? LIMIT ?",
                  rs -> ContentHash.of(rs.getBytes(1)),
                  v.id(),
                  Limits.WANTED_PER_PAGE);
          List<ContentHash> result = List.copyOf(out);
          cache.put(vault, new HeadAnswer(gen, headSeq, result));
          return result;
        });
  }

  @Override
  public void damaged(ContentHash hash, long size, String where, String why) {
    try {
      want(hash, size, "damaged in " + where + ": " + why);
    } catch (IOException e) {
      log.error("could not record damaged content {} as wanted: {}", hash.hex(), e.getMessage());
    }
  }

  @Override
  public void stored(Collection<ContentHash> hashes) {
    if (!shared && wanted.isEmpty()) {
      return;
    }
    try {
      drop(hashes);
    } catch (IOException e) {
      log.error("could not drop stored content from the wanted set: {}", e.getMessage());
    }
  }
}
