package io.vaultsync.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.auth.SqlTokenStore;
import io.vaultsync.server.auth.TokenInfo;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.server.integrity.SqlWantedContent;
import io.vaultsync.server.ledger.Compaction;
import io.vaultsync.server.ledger.FileVersion;
import io.vaultsync.server.ledger.SqlLedgerStore;
import io.vaultsync.server.ledger.SqlRecentDeletes;
import io.vaultsync.server.ledger.SqlSnapshotStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.limits.SqlQuotaStore;
import io.vaultsync.server.retention.RetentionPolicy;
import io.vaultsync.server.retention.SqlRetentionStore;
import io.vaultsync.server.share.Share;
import io.vaultsync.server.share.SqlShareStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * server-app's stores (written once in SQL for SQLite and PostgreSQL) run on {@link
 * PostgresDatabase}: every statement they issue is accepted, and the ledger keeps its promises
 * (gap-free seqs, stale heads refused, byte order of paths) with two processes appending at once.
 */
class SqlStoresOnPostgresTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  private static PostgresUrl url;
  private static PostgresDatabase db;
  private static SqlLedgerStore ledger;

  @BeforeAll
  static void open() throws IOException {
    url = PostgresFixture.newDatabase();
    db = PostgresDatabase.open(url, 4);
    ledger = new SqlLedgerStore(db);
  }

  @AfterAll
  static void close() {
    if (db != null) {
      db.close();
    }
  }

  private static NotePath p(String s) {
    return NotePath.of(s);
  }

  private static ContentHash h(String content) {
    return ContentHash.digestOf(content.getBytes(StandardCharsets.UTF_8));
  }

  private static VaultName newVault(String name) throws IOException {
    VaultName v = VaultName.of(name);
    ledger.createVault(v, T0);
    return v;
  }

  private static List<Change> append(VaultName v, int minute, NewChange... changes)
      throws IOException {
    return ledger.append(
        v, ledger.headSeq(v), List.of(changes), "laptop", T0.plusSeconds(60L * minute));
  }

  @Test
  void appendGivesGapFreeSeqsAndRefusesAStaleHead() throws IOException {
    VaultName v = newVault("append");
    List<Change> first =
        append(v, 1, NewChange.put(p("a.md"), h("a"), 1), NewChange.put(p("b.md"), h("b"), 1));
    assertThat(first).extracting(Change::seq).containsExactly(1L, 2L);
    List<Change> second = append(v, 2, NewChange.move(p("a.md"), p("c.md"), h("a"), 1));
    assertThat(second).extracting(Change::seq).containsExactly(3L);
    assertThat(ledger.headSeq(v)).isEqualTo(3);
    assertThatThrownBy(
            () ->
                ledger.append(
                    v, 2, List.of(NewChange.put(p("d.md"), h("d"), 1)), "phone", T0.plusSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is at seq 3");
    assertThat(ledger.headSeq(v)).isEqualTo(3);
    assertThat(ledger.manifest(v).entries())
        .extracting(RemoteEntry::path)
        .containsExactly(p("b.md"), p("c.md"));
    assertThat(ledger.vaults()).anySatisfy(i -> assertThat(i.name()).isEqualTo("append"));
    assertThat(ledger.exists(v)).isTrue();
    assertThat(ledger.head(v, p("c.md"))).map(RemoteEntry::seq).hasValue(3L);
    assertThatThrownBy(() -> ledger.createVault(v, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ledger.headSeq(VaultName.of("nope")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void concurrentAppendsFromTwoProcessesToOneVaultLetExactlyOneWinPerHead() throws Exception {
    VaultName v = newVault("race");
    AtomicInteger wins = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    try (PostgresDatabase other = PostgresDatabase.open(url, 4)) {
      List<SqlLedgerStore> processes = List.of(ledger, new SqlLedgerStore(other));
      ExecutorService threads = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          SqlLedgerStore store = processes.get(t % 2);
          String device = "device-" + t;
          done.add(
              threads.submit(
                  () -> {
                    for (int i = 0; i < 15; i++) {
                      long head = store.headSeq(v);
                      try {
                        store.append(
                            v,
                            head,
                            List.of(NewChange.put(p(device + "/" + i + ".md"), h(device + i), 2)),
                            device,
                            T0.plusSeconds(i));
                        wins.incrementAndGet();
                      } catch (IllegalStateException stale) {
                        refused.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        threads.shutdownNow();
      }
    }
    assertThat(wins.get() + refused.get()).isEqualTo(60);
    assertThat(ledger.headSeq(v)).isEqualTo(wins.get());
    ChangePage all = ledger.changesSince(v, 0, 1000);
    List<Long> seqs = all.changes().stream().map(Change::seq).toList();
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= wins.get(); s++) {
      expected.add(s);
    }
    assertThat(seqs).isEqualTo(expected); // gap-free, each seq once
    assertThat(ledger.manifest(v).entries()).hasSize(wins.get());
  }

  @Test
  void manifestAndRangeReadsFollowTheByteOrderOfPaths() throws IOException {
    VaultName v = newVault("order");
    List<String> paths =
        List.of("b.md", "B.md", "a/x.md", "a0.md", "a.md", "é.md", "Z.md", "ä/1.md", "a b.md");
    List<NewChange> puts = new ArrayList<>();
    for (String s : paths) {
      puts.add(NewChange.put(p(s), h(s), s.length()));
    }
    ledger.append(v, 0, puts, "laptop", T0);
    List<String> byteOrder =
        paths.stream()
            .sorted(
                (x, y) ->
                    java.util.Arrays.compareUnsigned(
                        x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)))
            .toList();
    assertThat(ledger.manifest(v).entries())
        .extracting(e -> e.path().value())
        .isEqualTo(byteOrder)
        .startsWith("B.md", "Z.md", "a b.md", "a.md", "a/x.md", "a0.md");
    assertThat(ledger.headPathsUnder(v, p("a"), null, 10)).containsExactly(p("a/x.md"));
    assertThat(ledger.foldersAmong(v, List.of(p("a"), p("ä"), p("b.md"), p("zz"))))
        .containsExactlyInAnyOrder(p("a"), p("ä"));
  }

  @Test
  void changesSincePagesThroughTheLedger() throws IOException {
    VaultName v = newVault("paging");
    for (int i = 0; i < 7; i++) {
      append(v, i, NewChange.put(p("n" + i + ".md"), h("" + i), i));
    }
    append(v, 8, NewChange.delete(p("n0.md"), h("0"), 0).asConfirmed());
    List<Change> seen = new ArrayList<>();
    long after = 0;
    ChangePage page;
    do {
      page = ledger.changesSince(v, after, 3);
      seen.addAll(page.changes());
      after =
          page.changes().isEmpty() ? after : page.changes().get(page.changes().size() - 1).seq();
    } while (page.hasMore());
    assertThat(seen).extracting(Change::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(seen.get(7).op()).isEqualTo(Change.Op.DELETE);
    assertThat(seen.get(7).confirmed()).isTrue();
    assertThat(ledger.pathsChangedAfter(v, 5))
        .containsExactlyInAnyOrder(p("n5.md"), p("n6.md"), p("n0.md"));
  }

  @Test
  void historyRecordsVersionsFileIdsAndPastManifests() throws IOException {
    VaultName v = newVault("history");
    append(v, 1, NewChange.put(p("a.md"), h("1"), 1));
    append(v, 2, NewChange.put(p("a.md"), h("2"), 1));
    append(v, 3, NewChange.move(p("a.md"), p("b.md"), h("2"), 1));
    append(v, 4, NewChange.delete(p("b.md"), h("2"), 1));
    var history = ledger.history();
    assertThat(history.fileIdAt(v, p("a.md"), 2)).hasValue(1);
    assertThat(history.fileIdAt(v, p("b.md"), 3)).hasValue(1);
    assertThat(history.fileIdAt(v, p("b.md"), 4)).isEmpty();
    List<FileVersion> versions = history.versions(v, p("b.md"), Long.MAX_VALUE, 10);
    assertThat(versions).isNotEmpty();
    assertThat(history.manifestAt(v, 2).entries())
        .extracting(RemoteEntry::path, RemoteEntry::hash)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(p("a.md"), h("2")));
    assertThat(history.seqAt(v, T0.plusSeconds(150))).isEqualTo(2);
    assertThat(history.seqAt(v, T0)).isZero();
  }

  @Test
  void snapshotsCompactionMirrorStateAndRecentDeletes() throws IOException {
    VaultName v = newVault("snapshots");
    append(v, 1, NewChange.put(p("a.md"), h("1"), 1), NewChange.put(p("b.md"), h("2"), 2));
    append(v, 2, NewChange.delete(p("b.md"), h("2"), 2));
    SqlSnapshotStore snapshots = new SqlSnapshotStore(db);
    SnapshotInfo taken = snapshots.take(v, T0.plusSeconds(180));
    assertThat(taken.seq()).isEqualTo(3);
    assertThat(snapshots.list(v)).extracting(SnapshotInfo::seq).containsExactly(3L);
    assertThat(snapshots.entries(v, 3).entries())
        .extracting(RemoteEntry::path)
        .containsExactly(p("a.md"));
    Compaction compaction = snapshots.compact(v, T0.plusSeconds(3600));
    assertThat(compaction.horizonAfter()).isEqualTo(snapshots.horizon(v));
    assertThat(snapshots.prune(v, 1)).isZero();
    append(v, 3, NewChange.put(p("c.md"), h("3"), 3));
    snapshots.take(v, T0.plusSeconds(240));
    assertThat(snapshots.prune(v, 1)).isEqualTo(1); // its entries go by ON DELETE CASCADE
    assertThat(snapshots.list(v)).extracting(SnapshotInfo::seq).containsExactly(4L);

    ledger.setMirroredSeq(v, 3);
    assertThat(ledger.mirroredSeq(v)).isEqualTo(3);
    ledger.recordMirrored(v, 3, java.util.Map.of(p("a.md"), "disk full"), Set.of(), T0);
    assertThat(ledger.mirrorPending(v)).containsEntry(p("a.md"), "disk full");
    ledger.recordMirrored(v, 3, java.util.Map.of(p("a.md"), "still full"), Set.of(), T0);
    assertThat(ledger.mirrorPending(v)).containsEntry(p("a.md"), "still full");

    SqlRecentDeletes deletes = new SqlRecentDeletes(db);
    assertThat(deletes.since("snapshots", "laptop", T0.toEpochMilli())).isGreaterThanOrEqualTo(0);
  }

  @Test
  void tokensSharesQuotasRetentionAndWantedContent() throws IOException {
    VaultName v = newVault("misc");
    append(v, 1, NewChange.put(p("a.md"), h("1"), 1));

    TokenStore tokens = new SqlTokenStore(db, Clock.systemUTC());
    String token = tokens.create("laptop");
    assertThat(tokens.deviceFor(token)).contains("laptop");
    assertThat(tokens.list()).extracting(TokenInfo::device).containsExactly("laptop");
    assertThatThrownBy(() -> tokens.create("laptop")).isInstanceOf(IllegalArgumentException.class);
    assertThat(tokens.revoke("laptop")).isTrue();
    assertThat(tokens.deviceFor(token)).isEmpty();

    SqlShareStore shares = new SqlShareStore(db);
    Share share = new Share("s1", v, p("a.md"), false, 1, T0, "laptop", null, null, false);
    byte[] tokenHash = h("share-token").toBytes();
    shares.insert(share, tokenHash);
    assertThat(shares.findByTokenHash(tokenHash)).contains(share);
    assertThat(shares.list(v)).containsExactly(share);
    assertThat(shares.revoke(v, "s1")).isTrue();
    assertThat(shares.findByTokenHash(tokenHash)).map(Share::revoked).contains(true);

    SqlQuotaStore quotas = new SqlQuotaStore(db);
    quotas.setQuota(v, OptionalLong.of(1000));
    quotas.setQuota(v, OptionalLong.of(2000)); // replaces
    assertThat(quotas.quota(v)).hasValue(2000);
    assertThat(quotas.usage(v)).isPositive();
    assertThat(quotas.usageWithContents(v).contents()).contains(h("1"));
    quotas.setQuota(v, OptionalLong.empty());
    assertThat(quotas.quota(v)).isEmpty();

    append(v, 2, NewChange.put(p("a.md"), h("2"), 1));
    append(v, 3, NewChange.put(p("a.md"), h("3"), 1)); // three versions within one hour
    SqlRetentionStore retention = new SqlRetentionStore(db);
    RetentionPolicy policy =
        new RetentionPolicy(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30));
    retention.setPolicy(v, policy);
    retention.setPolicy(v, policy); // replaces
    assertThat(retention.policy(v)).contains(policy);
    assertThat(retention.thin(v, T0.plus(Duration.ofDays(2)), policy)).isPositive();
    assertThat(retention.namedContent()).contains(h("3"));
    retention.deltaPlan();

    SqlWantedContent wanted = SqlWantedContent.open(db, Clock.systemUTC());
    wanted.want(h("3"), 1, "damaged");
    wanted.want(h("3"), 1, "damaged again"); // kept once
    assertThat(wanted.size()).isEqualTo(1);
    assertThat(wanted.atHead(v)).containsExactly(h("3"));
    assertThat(SqlWantedContent.open(db, Clock.systemUTC()).contains(h("3"))).isTrue();
    wanted.drop(List.of(h("3")));
    assertThat(SqlWantedContent.open(db, Clock.systemUTC()).isEmpty()).isTrue();
  }
}
