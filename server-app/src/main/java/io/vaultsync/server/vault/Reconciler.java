package io.vaultsync.server.vault;

import io.vaultsync.model.ignore.IgnoreRules;
import io.vaultsync.model.tree.Manifest;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.ManifestScanner;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.RejectedFile;
import io.vaultsync.model.tree.ScanResult;
import io.vaultsync.model.tree.TreeChange;
import io.vaultsync.model.tree.TreeDiff;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.mirror.MasterFolder;
import io.vaultsync.server.store.Staged;
import io.vaultsync.server.store.StagingBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a vault's ledger and its master folder together, in three steps under the vault's lock:
 *
 * <ol>
 *   <li>If the folder is missing or empty while head has files, it is restored from the store with
 *       a warning: an unmounted disk or a wiped folder is never read as "delete everything".
 *   <li>The folder catches up ({@link MasterMirror#catchUp}): paths changed after the vault's
 *       mirrored seq (the server stopped before writing them) and paths the folder owes (a write
 *       that failed: a full disk, a link in the way) are rewritten from head, not read as edits.
 *       What still cannot be written stays pending.
 *   <li>The folder is scanned ({@link ManifestScanner}, reusing hashes of files whose size and
 *       mtime did not change since the last scan) and compared with head ({@link TreeDiff}),
 *       leaving pending paths out of both sides: new and changed files are recorded as PUT, files
 *       gone as DELETE, renames as MOVE, all by device {@value TokenStore#SERVER_DEVICE} in one
 *       batch. So only a path the folder held as the server last wrote it, and that then changed or
 *       vanished, is an edit: never a file the server failed to write, nor the old content or old
 *       place of one whose new version or move it failed to write. The server's own writes match
 *       head by hash, so they are never recorded twice. Files that changed while being read are
 *       left for the next pass; files behind a link are never deleted.
 * </ol>
 *
 * Paths the vault's ignore rules exclude ({@link IgnoreRules}: the built-in defaults, such as
 * editors' temporary and swap files and any {@code .vaultsync} folder, plus the master folder's own
 * {@value IgnoreRules#FILE_NAME}) are left out of the scan and of the comparison: an editor's temp
 * file on the server's disk is never recorded, and a head file at an ignored path (uploaded before
 * the rule existed) is never recorded as deleted.
 *
 * <p>Thread-safe; one instance serves all vaults of a {@link ServerVaults}.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final ServerVaults vaults;
  private final ManifestScanner scanner = new ManifestScanner();
  private final Map<VaultName, Manifest> lastScan = new ConcurrentHashMap<>();
  private final HeadShapes shapes = new HeadShapes();

  public Reconciler(ServerVaults vaults) {
    this.vaults = vaults;
  }

  /**
   * Creates a vault for every valid folder under the vaults root that has none yet, so a folder
   * copied there becomes a vault (its files are recorded by the next {@link #reconcile}).
   */
  public List<VaultName> adoptFolders(Path vaultsRoot) throws IOException {
    List<VaultName> adopted = new ArrayList<>();
    if (!Files.isDirectory(vaultsRoot)) {
      return adopted;
    }
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(vaultsRoot)) {
      for (Path p : dir) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String n = p.getFileName().toString();
        VaultName name;
        try {
          name = VaultName.of(n);
        } catch (IllegalArgumentException e) {
          if (!n.startsWith(".")) {
            log.warn("ignoring folder {} under {}: {}", n, vaultsRoot, e.getMessage());
          }
          continue;
        }
        if (!vaults.ledger().exists(name)) {
          log.info("adopting folder {} as a new vault", n);
          vaults.createVault(name.value());
          adopted.add(name);
        }
      }
    }
    return adopted;
  }

  /** Reconciles every vault. */
  public void reconcileAll() throws IOException {
    for (var info : vaults.listVaults()) {
      reconcile(VaultName.of(info.name()));
    }
  }

  /**
   * Writes into the vault's master folder what the ledger recorded after its mirrored seq (changes
   * committed through another process of the server), without scanning the folder: what the owner
   * of the master folders does when it hears of another process's commit.
   */
  public void catchUp(VaultName vault) throws IOException {
    VaultLock lock = vaults.lock(vault);
    lock.lock();
    try {
      RemoteManifest head = vaults.ledger().manifest(vault);
      if (vaults.ledger().mirroredSeq(vault) < head.headSeq()) {
        vaults.mirror().catchUp(vault, vaults.masterFolders().master(vault), head, false, Set.of());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Reconciles one vault; returns the changes recorded from the folder. */
  public List<Change> reconcile(VaultName vault) throws IOException {
    VaultLock lock = vaults.lock(vault);
    lock.lock();
    try {
      return reconcileLocked(vault);
    } finally {
      lock.unlock();
    }
  }

  private List<Change> reconcileLocked(VaultName vault) throws IOException {
    MasterFolders folders = vaults.masterFolders();
    Path folder = vaults.folder(vault);
    if (!folders.knowsDiskNames(vault) && Files.isDirectory(folder)) {
      folders.diskNames(vault, scanner.names(folder)); // so writes below keep the names on disk
    }
    MasterFolder master = folders.master(vault);
    RemoteManifest head = vaults.ledger().manifest(vault);
    shapes.check(vault, head);
    long mirrored = vaults.ledger().mirroredSeq(vault);
    if (!Files.isDirectory(folder) || isEmpty(folder)) {
      if (!head.entries().isEmpty()) {
        if (mirrored > 0 && vaults.ledger().mirrorPending(vault).size() < head.entries().size()) {
          log.warn(
              "master folder {} is missing or empty while vault {} has {} files at seq {};"
                  + " restoring it from the store instead of recording deletes",
              folder,
              vault,
              head.entries().size(),
              head.headSeq());
        } else {
          // Nothing was written into it yet (a first upload whose mirror writes are still
          // queued, or all of them failed): filling it is the mirror's catch-up, not a folder
          // that went missing.
          log.debug("writing the master folder {} of vault {} for the first time", folder, vault);
        }
        vaults.mirror().catchUp(vault, master, head, true, Set.of());
        return List.of();
      }
      Files.createDirectories(folder);
    }
    master.removeTemporaryFiles();
    Set<NotePath> owed =
        vaults.mirror().catchUp(vault, master, head, false, lostWithContent(vault, master, head));
    IgnoreRules rules = rules(vault, folder);
    ScanResult scan =
        scanner.withFilter(rules).scan(folder, lastScan.getOrDefault(vault, Manifest.empty()));
    lastScan.put(vault, scan.manifest());
    folders.diskNames(vault, scan.names());
    master = folders.master(vault);
    for (RejectedFile r : scan.rejected()) {
      log.warn("not syncing {} in vault {}: {}", r.file(), vault, r.reason());
    }
    Set<NotePath> unknown = new HashSet<>(scan.unstable());
    List<ManifestEntry> headEntries = new ArrayList<>();
    for (RemoteEntry e : head.entries()) {
      if (rules.ignores(e.path()) || owed.contains(e.path())) {
        continue;
      }
      headEntries.add(new ManifestEntry(e.path(), e.size(), 0, e.hash()));
    }
    Manifest onDisk = scan.manifest();
    if (!owed.isEmpty()) {
      onDisk =
          Manifest.of(onDisk.entries().stream().filter(e -> !owed.contains(e.path())).toList());
    }
    List<TreeChange> diff = TreeDiff.between(Manifest.of(headEntries), onDisk);
    List<NewChange> changes = new ArrayList<>();
    try (StagingBatch batch = vaults.store().newBatch()) {
      for (TreeChange c : diff) {
        if (c instanceof TreeChange.Added a) {
          stage(batch, scan.names().toFile(folder, a.entry().path()), a.entry(), changes);
        } else if (c instanceof TreeChange.Modified m) {
          stage(batch, scan.names().toFile(folder, m.after().path()), m.after(), changes);
        } else if (c instanceof TreeChange.Moved mv) {
          if (master.isAbsent(mv.before().path())) {
            changes.add(
                NewChange.move(
                    mv.before().path(), mv.after().path(), mv.after().hash(), mv.after().size()));
          }
        } else if (c instanceof TreeChange.Deleted d) {
          NotePath p = d.entry().path();
          if (!unknown.contains(p) && !scan.isUnknown(p) && master.isAbsent(p)) {
            changes.add(NewChange.delete(p, d.entry().hash(), d.entry().size()));
          }
        }
      }
      List<Change> recorded =
          vaults.recorder().record(vault, batch, changes, TokenStore.SERVER_DEVICE, true);
      if (!recorded.isEmpty()) {
        log.info("recorded {} edits made in the master folder of vault {}", recorded.size(), vault);
      }
      return recorded;
    }
  }

  /**
   * Head files gone from the master folder whose content the store lacks too: one loss (a disk, a
   * data folder restored from an incomplete backup), not a delete made on the server's disk. They
   * stay at the head, wanted back from devices, and pending in the mirror, which writes them once a
   * device gave their content back. Recording them as deleted would spread the loss to every device
   * and stop the devices that hold them from giving them back.
   */
  private Set<NotePath> lostWithContent(VaultName vault, MasterFolder master, RemoteManifest head) {
    Set<NotePath> lost = new TreeSet<>();
    for (RemoteEntry e : head.entries()) {
      if (!vaults.store().has(e.hash()) && master.isAbsent(e.path())) {
        lost.add(e.path());
      }
    }
    if (!lost.isEmpty()) {
      List<String> names = lost.stream().limit(5).map(NotePath::value).toList();
      log.warn(
          "vault {}: {} files are gone from the master folder and their content from the store"
              + " ({}{}): kept at the head, not recorded as deleted, until a device gives them back",
          vault,
          lost.size(),
          String.join(", ", names),
          lost.size() > names.size() ? " and " + (lost.size() - names.size()) + " more" : "");
    }
    return lost;
  }

  /** The vault's ignore rules; the built-in defaults alone if its file cannot be read. */
  private static IgnoreRules rules(VaultName vault, Path folder) {
    try {
      IgnoreRules rules = IgnoreRules.load(folder);
      rules.problems().forEach(p -> log.warn("vault {}: {}", vault, p));
      return rules;
    } catch (IOException e) {
      log.warn("vault {}: using the default ignore rules: {}", vault, e.getMessage());
      return IgnoreRules.DEFAULT;
    }
  }

  /** Stages the file's content; skips it (until the next pass) if it changed since the scan. */
  private static void stage(
      StagingBatch batch, Path file, ManifestEntry entry, List<NewChange> changes)
      throws IOException {
    Staged staged;
    try {
      staged =
          batch.stage(
              out -> {
                try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                  in.transferTo(out);
                }
              });
    } catch (NoSuchFileException e) {
      return;
    }
    if (!staged.hash().equals(entry.hash())) {
      return; // changed after the scan: the watcher's next pass records its final content
    }
    changes.add(NewChange.put(entry.path(), staged.hash(), staged.size()));
  }

  private static boolean isEmpty(Path folder) throws IOException {
    try (DirectoryStream<Path> d = Files.newDirectoryStream(folder)) {
      return !d.iterator().hasNext();
    }
  }
}
