package io.vaultsync.server.app;

import static io.vaultsync.server.TestDeltas.delta;
import static io.vaultsync.server.app.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.testkit.ManualClock;
import io.vaultsync.server.ledger.FileVersion;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.retention.RetentionPolicy;
import io.vaultsync.server.store.GcStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 9: content GC over a real data folder. Thinning a vault's history releases the
 * content of the thinned versions; GC then shrinks the store, every kept version still reads, and a
 * commit that deduplicates against thinned content while GC runs keeps it. Also {@code vaultsync
 * server gc} and {@code vaultsync server quota}.
 */
class ContentGcCommandsTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  /** When {@link #history} writes a.md's first version: its clock starts here. */
  static final Instant HUNDRED_DAYS_AGO = NOW.minus(Duration.ofDays(100));

  static final VaultName NOTES = VaultName.of("notes");
  static final int SIZE = 50_000;

  @TempDir Path dir;

  private static byte[] random(long seed) {
    byte[] b = new byte[SIZE];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void put(ServerData data, String path, byte[] base, byte[] content)
      throws IOException {
    data.vaults()
        .commit(
            "notes",
            List.of(
                new Mutation.Put(
                    NotePath.of(path),
                    base == null ? null : ContentHash.digestOf(base),
                    delta(base == null ? new byte[0] : base, content))),
            "laptop",
            CommitOptions.DEFAULTS);
  }

  private static byte[] fetch(ServerData data, ContentHash h) throws IOException {
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    data.vaults().fetch("notes", h, null, d);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Deltas.patch(
        io.vaultsync.core.delta.Basis.of(new byte[0]),
        new ByteArrayInputStream(d.toByteArray()),
        out);
    return out.toByteArray();
  }

  /**
   * Ten versions of a.md on one day 100 days ago (thinning keeps the newest of that day) and b.md
   * now. Returns the contents of a.md's versions, oldest first.
   */
  private List<byte[]> history(ServerData data, ManualClock clock) throws IOException {
    assertThat(clock.instant()).isEqualTo(HUNDRED_DAYS_AGO);
    data.vaults().createVault("notes");
    List<byte[]> versions = new ArrayList<>();
    byte[] previous = null;
    for (int i = 0; i < 10; i++) {
      if (i > 0) {
        clock.advance(Duration.ofMinutes(1));
      }
      byte[] v = random(i);
      put(data, "a.md", previous, v);
      versions.add(v);
      previous = v;
    }
    clock.advance(Duration.between(clock.instant(), NOW));
    put(data, "b.md", null, random(100));
    // The ledger names every version until it is compacted (a snapshot, then rows older than 30
    // days), as a running server does by itself.
    data.vaults().awaitMirrored("notes");
    data.snapshots().take(NOTES, NOW);
    data.vaults().compact(NOTES, NOW.minus(Duration.ofDays(30)));
    return versions;
  }

  @Test
  void gcAfterThinningShrinksTheStoreKeepsEveryKeptVersionAndARacingCommitsContent()
      throws Exception {
    ManualClock clock = new ManualClock(HUNDRED_DAYS_AGO);
    List<byte[]> a;
    byte[] raced;
    try (ServerData data = ServerData.open(dir, clock)) {
      a = history(data, clock);
      long usageBefore = usage(data);
      assertThat(usageBefore).isEqualTo(11L * SIZE);
      assertThat(data.retention().thin(NOTES, NOW, RetentionPolicy.DEFAULT)).isEqualTo(9);
      assertThat(usage(data)).isEqualTo(usageBefore - 9L * SIZE);
      long before = data.store().packBytes();

      // While GC runs (its roots read, its sweep not done), a commit stores c.md with the content
      // of a thinned version: it deduplicates against an object GC is about to drop.
      raced = a.get(3);
      GcStats gc =
          data.store()
              .collect(
                  () -> {
                    Set<ContentHash> roots = data.retention().namedContent();
                    put(data, "c.md", null, raced);
                    return roots;
                  },
                  data.retention().deltaPlan());

      assertThat(gc.dropped()).isEqualTo(8);
      assertThat(gc.droppedBytes()).isEqualTo(8L * SIZE);
      assertThat(data.store().packBytes()).isLessThan(before - 7L * SIZE);
      assertKeptVersionsRead(data);
      assertThat(fetch(data, ContentHash.digestOf(raced))).isEqualTo(raced);
      assertThat(data.store().has(ContentHash.digestOf(a.get(0)))).isFalse();
    }
    try (ServerData reopened = ServerData.open(dir, clock)) {
      assertKeptVersionsRead(reopened);
      assertThat(fetch(reopened, ContentHash.digestOf(raced))).isEqualTo(raced);
      reopened.vaults().awaitMirrored("notes");
      assertThat(Files.readAllBytes(dir.resolve("vaults/notes/c.md"))).isEqualTo(raced);
    }
  }

  private static long usage(ServerData data) throws IOException {
    return data.quotas().usage(NOTES);
  }

  /** Every version the history keeps (heads included) reads back with its hash. */
  private static void assertKeptVersionsRead(ServerData data) throws IOException {
    Set<ContentHash> seen = new HashSet<>();
    for (FileVersion v : data.vaults().history().versions(NOTES, null, Long.MAX_VALUE, 1000)) {
      Change c = v.change();
      if (c.op() != Change.Op.DELETE && seen.add(c.hash())) {
        assertThat(ContentHash.digestOf(fetch(data, c.hash()))).isEqualTo(c.hash());
      }
    }
    assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void serverGcPrintsWhatItReclaimedAndServerQuotaShowsUsageAndSetsAQuota() throws Exception {
    ManualClock clock = new ManualClock(HUNDRED_DAYS_AGO);
    try (ServerData data = ServerData.open(dir, clock)) {
      history(data, clock);
      data.retention().thin(NOTES, NOW, RetentionPolicy.DEFAULT);
    }
    String d = dir.toString();
    CommandRun gc = run("gc", "--data", d);
    System.out.print(gc.out());
    assertThat(gc.code()).as(gc.err()).isZero();
    assertThat(gc.out())
        .contains("content GC: removed 9 objects (450,000 bytes of content)")
        .contains("reclaimed)");

    CommandRun show = run("quota", "--data", d);
    System.out.print(show.out());
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("vault notes: usage 97.7 KiB (100,000 bytes), quota the server's --vault-quota");
    CommandRun set = run("quota", "--data", d, "--vault", "notes", "--set", "1M");
    assertThat(set.out())
        .contains(
            "vault notes: usage 97.7 KiB (100,000 bytes), quota 1.0 MiB (1,048,576 bytes)"
                + " (its own, 10% used)");
    assertThat(run("quota", "--data", d, "--vault", "notes", "--clear").out())
        .contains("quota the server's --vault-quota");
    CommandRun bad = run("quota", "--data", d, "--vault", "notes", "--set", "12 parsecs");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("size \"12 parsecs\"").doesNotContain("Exception");
  }
}
