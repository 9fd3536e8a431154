package io.vaultsync.server.vault;

import static io.vaultsync.server.TestDeltas.delta;
import static io.vaultsync.server.TestDeltas.patch;
import static io.vaultsync.server.vault.Fixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.StaleVersionException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ServerVaultsTest extends NotesVaultTest {
  private static final NotePath NOTE = NotePath.of("Daily/2026-11-26.md");

  @Test
  void pushedFileComesBackByFetchAndAppearsInManifestLedgerAndMasterFolder() throws IOException {
    byte[] v1 = text("# Today\n- buy milk\n");
    RemoteEntry e = push(NOTE, null, v1);

    assertThat(e.seq()).isEqualTo(1);
    assertThat(e.hash()).isEqualTo(ContentHash.digestOf(v1));
    assertThat(fetch(e.hash(), null)).isEqualTo(v1);
    assertThat(f.vaults.manifest("notes").entries()).containsExactly(e);
    Change c = f.vaults.changesSince("notes", 0, 10).changes().get(0);
    assertThat(c.op()).isEqualTo(Change.Op.PUT);
    assertThat(c.device()).isEqualTo("laptop");
    assertThat(Files.readAllBytes(f.file("notes", NOTE.value()))).isEqualTo(v1);
  }

  @Test
  void editFetchedAsDeltaAgainstOldVersionAndOldVersionStaysFetchable() throws IOException {
    byte[] v1 = text("line one\nline two\n".repeat(200));
    byte[] v2 = text("line one\nline 2\n".repeat(200));
    push(NOTE, null, v1);
    RemoteEntry e2 = push(NOTE, v1, v2);

    assertThat(e2.seq()).isEqualTo(2);
    assertThat(fetch(e2.hash(), v1)).isEqualTo(v2);
    assertThat(fetch(ContentHash.digestOf(v1), null)).isEqualTo(v1);
    assertThat(Files.readAllBytes(f.file("notes", NOTE.value()))).isEqualTo(v2);
  }

  @Test
  void pushOnAStaleBaseThrowsWithTheCurrentVersionAndRecordsNothing() throws IOException {
    byte[] v1 = text("a\n");
    RemoteEntry e1 = push(NOTE, null, v1);

    assertThatThrownBy(() -> push(NOTE, null, text("b\n")))
        .isInstanceOfSatisfying(
            StaleVersionException.class, s -> assertThat(s.current()).isEqualTo(e1));
    assertThat(f.vaults.changesSince("notes", 0, 10).headSeq()).isEqualTo(1);
    assertThat(Files.readAllBytes(f.file("notes", NOTE.value()))).isEqualTo(v1);
  }

  @Test
  void corruptDeltaInABatchRecordsNothingAndLeavesNoTemporaryFile() throws IOException {
    byte[] good = delta(new byte[0], text("fine\n"));
    byte[] bad = delta(new byte[0], text("will be damaged\n"));
    bad[bad.length - 3] ^= 0x55;
    List<Mutation> batch =
        List.of(
            new Mutation.Put(NotePath.of("a.md"), null, good),
            new Mutation.Put(NotePath.of("b.md"), null, bad));

    assertThatThrownBy(() -> f.vaults.commit("notes", batch, "laptop"))
        .isInstanceOf(FormatException.class);
    assertThat(f.vaults.changesSince("notes", 0, 10).changes()).isEmpty();
    assertThat(f.vaults.manifest("notes").entries()).isEmpty();
    assertThat(Files.exists(f.file("notes", "a.md"))).isFalse();
    try (Stream<Path> s = Files.list(dir.resolve("store/packs"))) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void batchAppliesPutsDeletesMovesAndReportsStaleOnesInOrder() throws IOException {
    byte[] a = text("alpha\n");
    byte[] b = text("beta\n");
    RemoteEntry ea = push(NotePath.of("a.md"), null, a);
    RemoteEntry eb = push(NotePath.of("b.md"), null, b);
    List<Outcome> out =
        f.vaults.commit(
            "notes",
            List.of(
                new Mutation.Put(NotePath.of("c.md"), null, delta(new byte[0], text("gamma\n"))),
                new Mutation.Delete(NotePath.of("a.md"), ea.hash()),
                new Mutation.Move(NotePath.of("b.md"), NotePath.of("sub/b2.md"), eb.hash()),
                new Mutation.Delete(NotePath.of("zzz.md"), ea.hash()),
                new Mutation.Put(NotePath.of("c.md"), null, delta(new byte[0], text("again\n")))),
            "phone");

    assertThat(out.get(0)).isInstanceOf(Outcome.Applied.class);
    assertThat(out.get(1)).isInstanceOf(Outcome.Applied.class);
    assertThat(((Outcome.Applied) out.get(2)).change().previousPath())
        .isEqualTo(NotePath.of("b.md"));
    assertThat(out.get(3)).isInstanceOf(Outcome.Stale.class);
    assertThat(out.get(4)).isInstanceOf(Outcome.Stale.class);
    assertThat(
            out.stream()
                .filter(o -> o instanceof Outcome.Applied)
                .map(o -> ((Outcome.Applied) o).change().seq()))
        .containsExactly(3L, 4L, 5L);
    assertThat(f.vaults.manifest("notes").entries())
        .extracting(e -> e.path().value())
        .containsExactly("c.md", "sub/b2.md");
    assertThat(Files.exists(f.file("notes", "a.md"))).isFalse();
    assertThat(Files.exists(f.file("notes", "b.md"))).isFalse();
    assertThat(Files.readAllBytes(f.file("notes", "sub/b2.md"))).isEqualTo(b);
    assertThat(Files.readAllBytes(f.file("notes", "c.md"))).isEqualTo(text("gamma\n"));
  }

  @Test
  void laterPutInABatchMayUseAnEarlierOneAsItsBase() throws IOException {
    byte[] v1 = text("first\n");
    byte[] v2 = text("first\nsecond\n");
    List<Outcome> out =
        f.vaults.commit(
            "notes",
            List.of(
                new Mutation.Put(NOTE, null, delta(new byte[0], v1)),
                new Mutation.Put(NOTE, ContentHash.digestOf(v1), delta(v1, v2))),
            "laptop");

    assertThat(out).allMatch(o -> o instanceof Outcome.Applied);
    assertThat(Files.readAllBytes(f.file("notes", NOTE.value()))).isEqualTo(v2);
    assertThat(fetch(ContentHash.digestOf(v1), null)).isEqualTo(v1);
  }

  @Test
  void deleteAndMoveDefaultsWorkAndStaleMoveThrows() throws IOException {
    byte[] a = text("alpha\n");
    RemoteEntry ea = push(NotePath.of("a.md"), null, a);
    Change moved =
        f.vaults.move("notes", NotePath.of("a.md"), NotePath.of("b.md"), ea.hash(), "laptop");
    assertThat(moved.op()).isEqualTo(Change.Op.MOVE);
    assertThatThrownBy(
            () ->
                f.vaults.move(
                    "notes", NotePath.of("a.md"), NotePath.of("c.md"), ea.hash(), "laptop"))
        .isInstanceOf(StaleVersionException.class);
    Change deleted = f.vaults.delete("notes", NotePath.of("b.md"), ea.hash(), "laptop");
    assertThat(deleted.op()).isEqualTo(Change.Op.DELETE);
    assertThat(f.vaults.manifest("notes").entries()).isEmpty();
    assertThat(Files.exists(f.file("notes", "b.md"))).isFalse();
  }

  @Test
  void changesArePagedWithHeadSeq() throws IOException {
    for (int i = 0; i < 5; i++) {
      push(NotePath.of("n" + i + ".md"), null, text("note " + i));
    }
    ChangePage p1 = f.vaults.changesSince("notes", 0, 2);
    ChangePage p3 = f.vaults.changesSince("notes", 4, 2);
    assertThat(p1.changes()).extracting(Change::seq).containsExactly(1L, 2L);
    assertThat(p1.hasMore()).isTrue();
    assertThat(p3.changes()).extracting(Change::seq).containsExactly(5L);
    assertThat(p3.hasMore()).isFalse();
    assertThat(p3.headSeq()).isEqualTo(5);
  }

  @Test
  void unknownVaultBadVaultNameAndUnknownContentAreNotFound() throws IOException {
    assertThatThrownBy(() -> f.vaults.manifest("nope")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.vaults.manifest("../etc"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("../etc");
    assertThatThrownBy(() -> f.vaults.createVault("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a/b");
    assertThatThrownBy(
            () ->
                f.vaults.fetch(
                    "notes", ContentHash.digestOf(text("x")), null, new ByteArrayOutputStream()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void restartKeepsHeadLedgerAndContents() throws IOException {
    byte[] v1 = text("kept\n");
    RemoteEntry e = push(NOTE, null, v1);
    restart();

    assertThat(f.vaults.manifest("notes").entries()).containsExactly(e);
    assertThat(f.vaults.changesSince("notes", 0, 10).changes()).hasSize(1);
    assertThat(fetch(e.hash(), null)).isEqualTo(v1);
  }

  @Test
  void crashBetweenStoreAndLedgerCommitLeavesNoVisibleChange() throws IOException {
    f.vaults.setCommitHook(
        () -> {
          throw new IOException("simulated crash");
        });
    assertThatThrownBy(() -> push(NOTE, null, text("lost in the crash\n")))
        .hasMessageContaining("simulated crash");
    assertThat(f.vaults.manifest("notes").entries()).isEmpty();
    assertThat(f.vaults.changesSince("notes", 0, 10).changes()).isEmpty();
    assertThat(Files.exists(f.file("notes", NOTE.value()))).isFalse();

    // and after a restart with leftovers of an interrupted write
    Files.writeString(dir.resolve("store/packs/.vstmp-dead.pack"), "partial");
    Files.createDirectories(f.file("notes", "Daily"));
    Files.writeString(f.file("notes", "Daily/.vstmp-dead"), "partial");
    restart();
    assertThat(Files.exists(dir.resolve("store/packs/.vstmp-dead.pack"))).isFalse();
    assertThat(Files.exists(f.file("notes", "Daily/.vstmp-dead"))).isFalse();
    assertThat(f.vaults.changesSince("notes", 0, 10).changes()).isEmpty();
  }

  @Test
  void aBatchAtTheCommitLimitCommitsOnceWithConsecutiveSeqsAndOneMoreIsRefused()
      throws IOException {
    long seed = 20261126L;
    System.out.println("seed " + seed);
    Random random = new Random(seed);
    int n = Limits.COMMIT_MUTATIONS;
    List<Mutation> batch = new ArrayList<>();
    for (int i = 0; i <= n; i++) {
      byte[] content = new byte[1000 + random.nextInt(2000)];
      random.nextBytes(content);
      batch.add(
          new Mutation.Put(
              NotePath.of("f" + (i % 40) + "/n" + i + ".md"), null, delta(new byte[0], content)));
    }
    assertThatThrownBy(() -> f.vaults.commit("notes", batch, "laptop"))
        .isInstanceOf(io.vaultsync.protocol.InvalidRequestException.class)
        .hasMessage("batch of " + (n + 1) + " mutations; at most " + n);
    assertThat(f.vaults.manifest("notes").entries()).isEmpty();

    List<Outcome> out = f.vaults.commit("notes", batch.subList(0, n), "laptop");
    List<Long> seqs = new ArrayList<>();
    for (Outcome o : out) {
      seqs.add(((Outcome.Applied) o).change().seq());
    }
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(i + 1L);
    }
    assertThat(f.store.packCount()).isEqualTo(1);
    assertThat(f.vaults.manifest("notes").entries()).hasSize(n);
    String last = "n" + (n - 1) + ".md";
    assertThat(Files.exists(f.file("notes", "f" + ((n - 1) % 40) + "/" + last))).isTrue();
  }

  @Test
  void fetchManyAnswersEachStoredVersionInOrderAndReportsAnUnknownOneForItsItemOnly()
      throws IOException {
    byte[] v1 = text("line one\nline two\n".repeat(200));
    byte[] v2 = text("line one\nline 2\n".repeat(200));
    byte[] other = text("# other\n");
    push(NOTE, null, v1);
    push(NOTE, v1, v2);
    push(NotePath.of("other.md"), null, other);
    ContentHash unknown = ContentHash.digestOf(text("never stored"));
    java.util.List<String> calls = new java.util.ArrayList<>();
    java.util.Map<Integer, ByteArrayOutputStream> deltas = new java.util.TreeMap<>();

    f.vaults.fetchMany(
        "notes",
        java.util.List.of(
            new io.vaultsync.protocol.FetchItem(ContentHash.digestOf(v2), ContentHash.digestOf(v1)),
            new io.vaultsync.protocol.FetchItem(unknown, null),
            new io.vaultsync.protocol.FetchItem(ContentHash.digestOf(other), null)),
        new io.vaultsync.protocol.FetchReceiver() {
          @Override
          public java.io.OutputStream begin(int index) {
            calls.add("begin " + index);
            return deltas.computeIfAbsent(index, k -> new ByteArrayOutputStream());
          }

          @Override
          public void end(int index) {
            calls.add("end " + index);
          }

          @Override
          public void notFound(int index, String message) {
            calls.add("notFound " + index + " " + message);
          }
        });

    assertThat(calls)
        .containsExactly(
            "begin 0",
            "end 0",
            "notFound 1 content " + unknown.hex() + " is not stored in vault notes",
            "begin 2",
            "end 2");
    assertThat(patch(v1, deltas.get(0).toByteArray())).isEqualTo(v2);
    assertThat(deltas.get(0).size()).isLessThan(v2.length / 4);
    assertThat(patch(new byte[0], deltas.get(2).toByteArray())).isEqualTo(other);
  }
}
