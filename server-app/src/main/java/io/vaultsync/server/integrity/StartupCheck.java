package io.vaultsync.server.integrity;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.db.SqliteDatabase;
import io.vaultsync.server.store.DamagedContentException;
import io.vaultsync.server.store.PackContentStore;
import io.vaultsync.server.store.StoreProblem;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quick check a server runs at every start, before it serves: no content is hashed, so it costs
 * about a stat per pack and an index look-up per head file.
 *
 * <ol>
 *   <li>the database: {@code PRAGMA quick_check} ({@link #database}; a damaged database stops the
 *       start with one line naming it);
 *   <li>the content store's problems found while opening it (a pack without a readable index, an
 *       index without its pack, a short pack), one ERROR line each naming the file and what to do;
 *   <li>content wanted since an earlier run and present again is verified (its hash), and dropped
 *       from the wanted set if it is right;
 *   <li>every hash a vault's head names is looked up in the store's index; missing ones become
 *       wanted, and those the vault's master folder still holds are stored again from there;
 *   <li>what is still missing is logged per vault: a count and the first paths.
 * </ol>
 */
public final class StartupCheck {
  private static final Logger log = LoggerFactory.getLogger(StartupCheck.class);

  /** Paths named per vault in the log. */
  static final int NAMED = 5;

  private StartupCheck() {}

  /**
   * Refuses to go on with a damaged database file (the ledger is the server's truth: writing into a
   * damaged b-tree can lose more).
   *
   * @throws DamagedDataException naming the file, what SQLite found and what to run
   */
  public static void database(Path dataDir, Path file) throws IOException {
    if (!java.nio.file.Files.exists(file)) {
      return;
    }
    List<String> problems = SqliteDatabase.check(file, false, 10);
    if (!problems.isEmpty()) {
      throw new DamagedDataException(
          file,
          "database "
              + file
              + " is damaged (PRAGMA quick_check: "
              + problems.get(0)
              + (problems.size() > 1 ? "; and " + (problems.size() - 1) + " more" : "")
              + "): stop here and run `vaultsync server check --data "
              + dataDir
              + " --repair`");
    }
  }

  /** Steps 2 to 5 of the class comment; returns the head references still missing. */
  public static List<ContentReferences.Reference> content(
      Path dataDir, SqliteDatabase db, PackContentStore store, WantedContent wanted, Path vaults)
      throws IOException {
    String advice = ": run `vaultsync server check --data " + dataDir + " --repair`";
    for (StoreProblem p : store.problems()) {
      log.error("{}{}", p.describe(), advice);
    }
    for (ContentHash h : wanted.hashes()) {
      if (!store.has(h)) {
        continue;
      }
      try {
        store.open(h); // verifies; a damaged copy is dropped from the store and stays wanted
        wanted.drop(List.of(h));
      } catch (DamagedContentException | NoSuchFileException e) {
        // still wanted
      }
    }
    List<ContentReferences.Reference> missing = new ArrayList<>();
    ContentReferences.head(
        db,
        r -> {
          if (!store.has(r.hash())) {
            missing.add(r);
          }
        });
    if (missing.isEmpty()) {
      return missing;
    }
    for (ContentReferences.Reference r : missing) {
      wanted.want(r.hash(), r.size(), "missing from the store at start (" + r.describe() + ")");
    }
    List<ContentReferences.Reference> restored = MasterCopies.restore(store, vaults, missing);
    Map<String, Integer> fromMaster = new LinkedHashMap<>();
    for (ContentReferences.Reference r : restored) {
      fromMaster.merge(r.vault(), 1, Integer::sum);
    }
    fromMaster.forEach(
        (vault, n) ->
            log.info(
                "vault {}: stored the content of {} files again from its master folder", vault, n));
    List<ContentReferences.Reference> still = new ArrayList<>();
    Map<String, List<String>> byVault = new LinkedHashMap<>();
    for (ContentReferences.Reference r : missing) {
      if (!store.has(r.hash())) {
        still.add(r);
        byVault.computeIfAbsent(r.vault(), v -> new ArrayList<>()).add(r.path());
      }
    }
    byVault.forEach(
        (vault, paths) ->
            log.error(
                "vault {}: the store lacks the content of {} files at the head: {}; devices that"
                    + " hold them give them back on their next sync{}",
                vault,
                paths.size(),
                named(paths),
                advice.replace(" --repair", "")));
    return still;
  }

  /** The first {@link #NAMED} paths, and how many more. */
  static String named(List<String> paths) {
    String first = String.join(", ", paths.subList(0, Math.min(NAMED, paths.size())));
    return paths.size() > NAMED ? first + " and " + (paths.size() - NAMED) + " more" : first;
  }
}
