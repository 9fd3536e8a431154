package io.vaultsync.server.app;

import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.server.auth.SqlTokenStore;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.server.cluster.ClusterDatabase;
import io.vaultsync.server.cluster.Leases;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.SqliteDatabase;
import io.vaultsync.server.integrity.DamagedDataException;
import io.vaultsync.server.integrity.SqlWantedContent;
import io.vaultsync.server.integrity.StartupCheck;
import io.vaultsync.server.integrity.WantedContent;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.SnapshotStore;
import io.vaultsync.server.ledger.SqlLedgerStore;
import io.vaultsync.server.ledger.SqlRecentDeletes;
import io.vaultsync.server.ledger.SqlSnapshotStore;
import io.vaultsync.server.retention.RetentionStore;
import io.vaultsync.server.retention.SqlRetentionStore;
import io.vaultsync.server.share.ShareLinks;
import io.vaultsync.server.share.SqlShareStore;
import io.vaultsync.server.store.ContentStore;
import io.vaultsync.server.store.PackContentStore;
import io.vaultsync.server.vault.Coordination;
import io.vaultsync.server.vault.FolderOwnership;
import io.vaultsync.server.vault.Reconciler;
import io.vaultsync.server.vault.ServerVaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The server's data folder, opened: {@code vaultsync.db} (SQLite: ledger, head, tokens), {@code
 * store/} (content packs), {@code vaults/NAME/} (master folders). Holds an exclusive lock on {@code
 * server.lock} so two servers never share one folder (token commands may run beside a server: they
 * only use the database, which SQLite shares safely). {@link #openShared} opens instead one process
 * of a server whose processes share a PostgreSQL database and an object store.
 *
 * <p>Over 400 lines: it wires the two kinds of server (the data folder's and a shared one) from the
 * same stores and closes them in one order; the lock ({@link ServerLock}), the stores, the checks
 * and the shared backends ({@link SharedStorage}) are classes of their own.
 */
public final class ServerData implements AutoCloseable {
  private final Path dir;
  private final ServerLock lock;
  private final Database db;

  /** Where content lives: the packs of the data folder, or an object store. */
  private final ContentStore content;

  /** The data folder's packs; null when content lives in an object store. */
  private final PackContentStore store;

  /** The database the server's processes share; null for the embedded server. */
  private final ClusterDatabase cluster;

  /** The folder of the master folders. */
  private final Path masterRoot;

  /** Keeps the master folders of a shared server while holding their lease; null: none. */
  private final MasterFolderKeeper keeper;

  private final ServerVaults vaults;
  private final SnapshotStore snapshots;
  private final SqlLedgerStore ledger;
  private final TokenStore tokens;
  private final Reconciler reconciler;
  private final ShareLinks shares;
  private final RetentionStore retention;
  private final WantedContent wanted;
  private final io.vaultsync.server.limits.VaultQuotas quotas;

  private ServerData(
      Path dir,
      ServerLock lock,
      Database db,
      ContentStore content,
      ClusterDatabase cluster,
      Path masterRoot,
      WantedContent wanted,
      Clock clock,
      DeleteLimits deleteLimits,
      io.vaultsync.server.limits.StorageLimits storageLimits)
      throws IOException {
    this.dir = dir;
    this.masterRoot = masterRoot;
    this.keeper =
        cluster == null || masterRoot == null
            ? null
            : new MasterFolderKeeper(
                masterRoot, cluster.leases(), this::reconciler, () -> ServerRun.watcher(this));
    this.wanted = wanted;
    this.lock = lock;
    this.db = db;
    this.content = content;
    this.store = content instanceof PackContentStore packs ? packs : null;
    this.cluster = cluster;
    this.snapshots = new SqlSnapshotStore(db, masterRoot != null);
    this.ledger = new SqlLedgerStore(db);
    this.vaults =
        new ServerVaults(
            ledger,
            snapshots,
            content,
            masterRoot == null ? vaultsRoot(dir) : masterRoot,
            clock,
            deleteLimits,
            cluster == null
                ? Coordination.alone()
                : Coordination.shared(
                    cluster.locks(),
                    new SqlRecentDeletes(db),
                    cluster.signals(),
                    keeper == null ? FolderOwnership.NEVER : keeper));
    this.tokens = new SqlTokenStore(db, clock);
    this.reconciler = new Reconciler(vaults);
    this.shares = new ShareLinks(ledger, new SqlShareStore(db), clock);
    vaults.attachShares(shares);
    vaults.attachWanted(
        wanted,
        cluster == null
            ? io.vaultsync.server.integrity.ContentHealer.fromMasterFolders(
                ledger, content, vaultsRoot(dir), wanted)
            : null);
    this.retention = new SqlRetentionStore(db);
    this.quotas =
        new io.vaultsync.server.limits.VaultQuotas(
            new io.vaultsync.server.limits.SqlQuotaStore(db), storageLimits);
    vaults.limitUploads(quotas);
  }

  /** The folder holding the master folders. */
  public static Path vaultsRoot(Path dir) {
    return dir.resolve("vaults");
  }

  /** The database file. */
  public static Path database(Path dir) {
    return dir.resolve("vaultsync.db");
  }

  /**
   * Opens (creating) the data folder, cleans leftovers of an interrupted run, runs the quick check
   * ({@link StartupCheck}: a damaged database stops here with {@link DamagedDataException}; what
   * the content store lacks is logged, wanted, and stored again from the master folders where they
   * hold it) and reconciles every vault with its master folder (adopting new valid folders as
   * vaults).
   */
  public static ServerData open(Path dir, Clock clock) throws IOException {
    return open(dir, clock, DeleteLimits.DEFAULTS);
  }

  /**
   * As {@link #open(Path, Clock)}, refusing commits that delete more than {@code deleteLimits}
   * unless the client allowed mass deletes.
   */
  public static ServerData open(Path dir, Clock clock, DeleteLimits deleteLimits)
      throws IOException {
    return open(dir, clock, deleteLimits, io.vaultsync.server.limits.StorageLimits.DEFAULTS);
  }

  /**
   * As {@link #open(Path, Clock, DeleteLimits)}, storing no file larger than {@code storageLimits}
   * allow and keeping each vault within its quota.
   */
  public static ServerData open(
      Path dir,
      Clock clock,
      DeleteLimits deleteLimits,
      io.vaultsync.server.limits.StorageLimits storageLimits)
      throws IOException {
    Files.createDirectories(vaultsRoot(dir));
    ServerLock lock = ServerLock.forServer(dir);
    SqliteDatabase db = null;
    PackContentStore store = null;
    try {
      StartupCheck.database(dir, database(dir));
      db = SqliteDatabase.open(database(dir));
      store = PackContentStore.open(dir.resolve("store"));
      WantedContent wanted = SqlWantedContent.open(db, clock);
      store.listen(wanted);
      ServerData data =
          new ServerData(
              dir,
              lock,
              db,
              store,
              null,
              vaultsRoot(dir),
              wanted,
              clock,
              deleteLimits,
              storageLimits);
      StartupCheck.content(dir, db, store, wanted, vaultsRoot(dir));
      data.reconciler.adoptFolders(vaultsRoot(dir));
      data.reconciler.reconcileAll();
      return data;
    } catch (IOException | RuntimeException e) {
      if (store != null) {
        store.close();
      }
      if (db != null) {
        db.close();
      }
      lock.close();
      throw e;
    }
  }

  /**
   * Opens one process of a server whose processes share a database and an object store ({@code
   * storage}); {@code dir} is this process's own folder (the object store's cache). No master
   * folders: only one process may own them, and none does yet; nothing to reconcile at start.
   */
  public static ServerData openShared(
      Path dir,
      Clock clock,
      DeleteLimits deleteLimits,
      io.vaultsync.server.limits.StorageLimits storageLimits,
      StorageSettings storage)
      throws IOException {
    Files.createDirectories(dir);
    ServerLock lock = ServerLock.forServer(dir);
    ClusterDatabase cluster = null;
    ContentStore content = null;
    try {
      cluster = SharedStorage.database(storage.database(), storage.serverId());
      content =
          SharedStorage.objects(
              storage.objects(),
              storage.s3Endpoint(),
              dir.resolve("cache"),
              storage.cacheBytes(),
              cluster.database());
      SqlWantedContent wanted = SqlWantedContent.openShared(cluster.database(), clock);
      content.listen(wanted);
      return new ServerData(
          dir,
          lock,
          cluster.database(),
          content,
          cluster,
          storage.masterFolders(),
          wanted,
          clock,
          deleteLimits,
          storageLimits);
    } catch (IOException | RuntimeException e) {
      if (content != null) {
        content.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      lock.close();
      throw e;
    }
  }

  /**
   * Takes the data folder's server lock for a command that must not run beside a server ({@code
   * server check}); close it to let go.
   *
   * @throws IOException if a server (or another such command) holds it
   */
  public static AutoCloseable exclusive(Path dir) throws IOException {
    return ServerLock.exclusive(dir);
  }

  /** Opens only the token table (safe while a server runs). */
  public static TokenDatabase openTokens(Path dir, Clock clock) throws IOException {
    Files.createDirectories(dir);
    SqliteDatabase db = SqliteDatabase.open(database(dir));
    return new TokenDatabase(db, new SqlTokenStore(db, clock));
  }

  /**
   * Opens only the database's ledger and snapshot tables, without the server lock: for {@code
   * vaultsync server snapshot|compact}, which are single SQLite transactions and therefore safe
   * beside a running server.
   */
  public static LedgerDatabase openLedger(Path dir) throws IOException {
    if (!Files.exists(database(dir))) {
      throw new java.nio.file.NoSuchFileException(
          database(dir).toString(), null, "no vaultsync database (is --data right?)");
    }
    SqliteDatabase db = SqliteDatabase.open(database(dir));
    return new LedgerDatabase(db, new SqlLedgerStore(db), new SqlSnapshotStore(db));
  }

  /** The ledger and snapshot stores with the database they must close. */
  public record LedgerDatabase(SqliteDatabase db, SqlLedgerStore ledger, SqlSnapshotStore snapshots)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      db.close();
    }
  }

  /** A token store with the database it must close. */
  public record TokenDatabase(SqliteDatabase db, TokenStore tokens) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      db.close();
    }
  }

  public Path dir() {
    return dir;
  }

  public ServerVaults vaults() {
    return vaults;
  }

  /** The ledger and head state. */
  public LedgerStore ledger() {
    return ledger;
  }

  /** Snapshots and ledger compaction. */
  public SnapshotStore snapshots() {
    return snapshots;
  }

  /** Retention policies, thinning and the repack's delta plan. */
  public RetentionStore retention() {
    return retention;
  }

  /** The data folder's content packs (for repacks); null when content lives in an object store. */
  public PackContentStore store() {
    return store;
  }

  /** The largest file and the vaults' quotas and usage. */
  public io.vaultsync.server.limits.VaultQuotas quotas() {
    return quotas;
  }

  public TokenStore tokens() {
    return tokens;
  }

  /** The content store (immutable content by SHA-256), for readers such as the HTTP endpoint. */
  public io.vaultsync.server.store.ContentStore content() {
    return content;
  }

  /** The leases of once-per-server work: all this process's when it runs alone. */
  public Leases leases() {
    return cluster == null ? Leases.alone() : cluster.leases();
  }

  /** The database the server's processes share; null for the embedded server. */
  public ClusterDatabase cluster() {
    return cluster;
  }

  /**
   * Whether this process always keeps the master folders (the embedded server: it watches them from
   * the start); a process of a shared server keeps them only while it holds their lease.
   */
  public boolean keepsMasterFolders() {
    return cluster == null;
  }

  /** The folder of the master folders (null: a shared server without them). */
  public Path masterFoldersRoot() {
    return cluster == null ? vaultsRoot(dir) : masterRoot;
  }

  /**
   * For a process of a shared server with master folders: starts taking their lease (then catching
   * them up and watching them). Nothing for the embedded server.
   */
  public void startKeepingMasterFolders() {
    if (keeper != null) {
      keeper.start(cluster.signals());
    }
  }

  /** Share links (their HTTP base URL is set once the HTTP endpoint runs). */
  public ShareLinks shares() {
    return shares;
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  /** The content the server wants back from devices (lost or found damaged). */
  public WantedContent wanted() {
    return wanted;
  }

  @Override
  public void close() throws IOException {
    try {
      if (keeper != null) {
        keeper.close();
      }
      vaults.close();
      content.close();
    } finally {
      try {
        if (cluster != null) {
          cluster.close(); // closes its database
        } else {
          db.close();
        }
      } finally {
        lock.close();
      }
    }
  }
}
