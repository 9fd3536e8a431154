package io.vaultsync.server.integrity;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.db.SqliteDatabase;
import io.vaultsync.server.store.PackContentStore;
import io.vaultsync.server.store.StoreCheck;
import io.vaultsync.server.store.StoreProblem;
import io.vaultsync.server.store.StoreRepair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code vaultsync server check}: the full check of a data folder (the server stopped), and with
 * {@code repair} what can be fixed.
 *
 * <ol>
 *   <li>the database: {@code PRAGMA integrity_check}; repair rebuilds a damaged file ({@link
 *       DatabaseRepair});
 *   <li>repair first gives every pack a usable index again ({@link StoreRepair#rebuildIndexes});
 *   <li>the content store: every copy of every object hashed, every framed record header against
 *       its index entry ({@link StoreCheck}); repair copies the intact objects of a pack holding
 *       damaged ones into a new pack and moves it aside ({@link StoreRepair#salvage});
 *   <li>every hash named by a head, the version history, a kept snapshot or the ledger is stored
 *       intact; repair records the missing ones as wanted (devices give them back on their next
 *       sync) and stores again those the master folders still hold;
 *   <li>the {@link Step}s given ({@link TreeRulesStep}: no file with a child, no client-internal
 *       name).
 * </ol>
 */
public final class ServerCheck {
  /** Paths named in one line before "and N more". */
  static final int NAMED = 5;

  /** One problem: what it is about ({@code database}, {@code store}, {@code content}, ...). */
  public record Finding(String kind, String text) {
    public Finding {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A further check of the database's content. The tree rules of issue 12 item 5 (a file and a
   * child of it, names only clients may use) plug in here once their class is on main: each finding
   * names the vault and path.
   */
  @FunctionalInterface
  public interface Step {
    void check(SqliteDatabase db, List<Finding> findings) throws IOException;
  }

  /**
   * What the check found and did.
   *
   * @param problems what is wrong now (after the repairs, if any)
   * @param repaired what repair did, one line each
   */
  public record Report(
      List<Finding> problems,
      List<String> repaired,
      boolean databaseRead,
      int packs,
      long objects,
      long bytes,
      long references,
      int vaults) {
    public boolean healthy() {
      return problems.isEmpty();
    }

    /** The last line: what was checked and the verdict. */
    public String summary() {
      if (!databaseRead) {
        return "checked the database (damaged: its references were not checked) and "
            + packsChecked()
            + ": "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + repairs();
      }
      return "checked the database, "
          + packsChecked()
          + " and "
          + references
          + " references in "
          + vaults
          + (vaults == 1 ? " vault" : " vaults")
          + ": "
          + (problems.isEmpty()
              ? "healthy"
              : problems.size() + (problems.size() == 1 ? " problem" : " problems"))
          + repairs();
    }

    /** E.g. {@code 3 packs (120 objects, 4096 bytes)}. */
    private String packsChecked() {
      return packs
          + (packs == 1 ? " pack" : " packs")
          + " ("
          + objects
          + " objects, "
          + bytes
          + " bytes)";
    }

    private String repairs() {
      return repaired.isEmpty()
          ? ""
          : " (" + repaired.size() + (repaired.size() == 1 ? " repair" : " repairs") + " made)";
    }
  }

  private final Path dataDir;
  private final Clock clock;
  private final List<Step> steps;

  public ServerCheck(Path dataDir, Clock clock, List<Step> steps) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.steps = List.copyOf(steps);
  }

  /** Runs the check; the caller holds the data folder's server lock. */
  public Report run(boolean repair) throws IOException {
    List<Finding> problems = new ArrayList<>();
    List<String> repaired = new ArrayList<>();
    Path dbFile = dataDir.resolve("vaultsync.db");
    boolean dbSound = checkDatabase(dbFile, repair, problems, repaired);
    Path storeRoot = dataDir.resolve("store");
    SqliteDatabase db = dbSound ? SqliteDatabase.open(dbFile) : null;
    try {
      Map<ContentHash, Long> named = new HashMap<>();
      if (db != null) {
        ContentReferences.all(db, r -> named.putIfAbsent(r.hash(), r.size()));
      }
      StoreRepair storeRepair = new StoreRepair(storeRoot, clock);
      if (repair) {
        Files.createDirectories(storeRoot.resolve("packs"));
        repaired.addAll(storeRepair.rebuildIndexes(named));
      }
      PackContentStore store = PackContentStore.open(storeRoot);
      try {
        StoreCheck.Result checked = StoreCheck.verify(store);
        if (repair && !checked.damaged().isEmpty()) {
          store.close();
          repaired.addAll(storeRepair.salvage(checked.damaged()));
          store = PackContentStore.open(storeRoot);
          checked = StoreCheck.verify(store);
        }
        for (StoreProblem p : checked.problems()) {
          problems.add(new Finding("store", p.describe()));
        }
        long references = 0;
        int vaults = 0;
        if (db != null) {
          references = named.isEmpty() ? 0 : countReferences(db);
          vaults =
              db.read(
                  c -> {
                    try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM vaults")) {
                      return rs.next() ? rs.getInt(1) : 0;
                    }
                  });
          missingContent(db, store, checked.lost(), repair, problems, repaired);
          if (repair) {
            forgetUnnamedWants(db, named.keySet(), repaired);
          }
          for (Step step : steps) {
            step.check(db, problems);
          }
        }
        return new Report(
            problems,
            repaired,
            db != null,
            checked.packs(),
            checked.objects(),
            checked.bytes(),
            references,
            vaults);
      } finally {
        store.close();
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  /** Step 1; returns whether the database can be used for the other steps. */
  private boolean checkDatabase(
      Path dbFile, boolean repair, List<Finding> problems, List<String> repaired)
      throws IOException {
    List<String> found = SqliteDatabase.check(dbFile, true, 100);
    if (!found.isEmpty() && repair) {
      try {
        DatabaseRepair.Result r = DatabaseRepair.rebuild(dataDir, dbFile, clock);
        repaired.addAll(r.done());
        r.lost().forEach(l -> problems.add(new Finding("database", l)));
        found = SqliteDatabase.check(dbFile, true, 100);
      } catch (IOException e) {
        problems.add(new Finding("database", e.getMessage()));
      }
    }
    for (String f : found) {
      problems.add(new Finding("database", "database " + dbFile + ": " + f));
    }
    return found.isEmpty();
  }

  private static long countReferences(SqliteDatabase db) throws IOException {
    long[] n = {0};
    ContentReferences.all(db, r -> n[0]++);
    return n[0];
  }

  /** Step 4: one line per content the database names that the store lacks (or holds damaged). */
  private void missingContent(
      SqliteDatabase db,
      PackContentStore store,
      Set<ContentHash> lost,
      boolean repair,
      List<Finding> problems,
      List<String> repaired)
      throws IOException {
    Map<ContentHash, List<ContentReferences.Reference>> missing = new LinkedHashMap<>();
    ContentReferences.all(
        db,
        r -> {
          if (!store.has(r.hash()) || lost.contains(r.hash())) {
            missing.computeIfAbsent(r.hash(), h -> new ArrayList<>()).add(r);
          }
        });
    if (missing.isEmpty()) {
      return;
    }
    Set<ContentHash> wantedNow = new HashSet<>();
    if (repair) {
      WantedContent wanted = SqlWantedContent.open(db, clock);
      store.listen(wanted);
      for (Map.Entry<ContentHash, List<ContentReferences.Reference>> m : missing.entrySet()) {
        ContentReferences.Reference first = m.getValue().get(0);
        wanted.want(
            m.getKey(), first.size(), "missing, found by server check (" + first.describe() + ")");
      }
      List<ContentReferences.Reference> heads = new ArrayList<>();
      missing
          .values()
          .forEach(
              refs ->
                  refs.stream()
                      .filter(r -> r.source() == ContentReferences.Source.HEAD)
                      .forEach(heads::add));
      List<ContentReferences.Reference> restored =
          MasterCopies.restore(store, dataDir.resolve("vaults"), heads);
      Map<String, Integer> byVault = new TreeMap<>();
      for (ContentReferences.Reference r : restored) {
        missing.remove(r.hash());
        byVault.merge(r.vault(), 1, Integer::sum);
      }
      byVault.forEach(
          (v, n) ->
              repaired.add(
                  "stored the content of "
                      + n
                      + " files of vault "
                      + v
                      + " again from its master folder"));
      wantedNow.addAll(missing.keySet());
      if (!missing.isEmpty()) {
        repaired.add(
            "recorded "
                + missing.size()
                + " missing contents as wanted: devices that hold them give them back on their"
                + " next sync");
      }
    }
    for (Map.Entry<ContentHash, List<ContentReferences.Reference>> m : missing.entrySet()) {
      problems.add(
          new Finding(
              "content", describe(m.getKey(), m.getValue(), wantedNow.contains(m.getKey()))));
    }
  }

  /** Drops wanted content that nothing names any more (history thinned, ledger compacted). */
  private void forgetUnnamedWants(SqliteDatabase db, Set<ContentHash> named, List<String> repaired)
      throws IOException {
    WantedContent wanted = SqlWantedContent.open(db, clock);
    List<ContentHash> unnamed = new ArrayList<>();
    for (ContentHash h : wanted.hashes()) {
      if (!named.contains(h)) {
        unnamed.add(h);
      }
    }
    if (!unnamed.isEmpty()) {
      wanted.drop(unnamed);
      repaired.add("forgot " + unnamed.size() + " wanted contents that nothing names any more");
    }
  }

  /**
   * {@code content 6d16… (8 bytes) is missing: vault notes: n1.md (head, seq 3); also named by
   * history (1), ledger (1)}.
   */
  static String describe(ContentHash hash, List<ContentReferences.Reference> refs, boolean wanted) {
    List<ContentReferences.Reference> heads =
        refs.stream().filter(r -> r.source() == ContentReferences.Source.HEAD).toList();
    List<ContentReferences.Reference> named = heads.isEmpty() ? refs.subList(0, 1) : heads;
    StringBuilder sb =
        new StringBuilder("content ")
            .append(hash.hex())
            .append(" (")
            .append(refs.get(0).size())
            .append(" bytes) is missing: ");
    for (int i = 0; i < Math.min(NAMED, named.size()); i++) {
      sb.append(i > 0 ? "; " : "").append(named.get(i).describe());
    }
    if (named.size() > NAMED) {
      sb.append("; and ").append(named.size() - NAMED).append(" more");
    }
    Map<ContentReferences.Source, Integer> others = new TreeMap<>();
    for (ContentReferences.Reference r : refs) {
      if (!named.contains(r)) {
        others.merge(r.source(), 1, Integer::sum);
      }
    }
    if (!others.isEmpty()) {
      sb.append("; also named by ");
      List<String> parts = new ArrayList<>();
      others.forEach((s, n) -> parts.add(s + " (" + n + ")"));
      sb.append(String.join(", ", parts));
    }
    if (wanted) {
      sb.append("; wanted back from devices");
    }
    return sb.toString();
  }
}
