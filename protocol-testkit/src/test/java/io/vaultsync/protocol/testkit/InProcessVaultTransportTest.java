package io.vaultsync.protocol.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.StaleVersionException;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.protocol.VaultTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InProcessVaultTransportTest {
  private static final NotePath NOTE = NotePath.of("Daily/2026-11-26.md");

  private InProcessVaultTransport remote;

  @BeforeEach
  void setUp() throws IOException {
    remote = new InProcessVaultTransport();
    remote.createVault("notes");
  }

  /** A delta from {@code basis} to {@code target}, as a client that kept the basis computes it. */
  static byte[] delta(byte[] basis, byte[] target) throws IOException {
    Signature sig = SignatureBuilder.of(basis, SignatureParams.forBasisLength(basis.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaEncoder e = new DeltaEncoder(sig, new DeltaWriter(out));
    e.update(target, 0, target.length);
    e.finish();
    return out.toByteArray();
  }

  static byte[] patch(byte[] basis, byte[] delta) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaReader.read(new ByteArrayInputStream(delta), new Patcher(Basis.of(basis), out));
    return out.toByteArray();
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void pushedFileComesBackByFetchAndAppearsInManifestAndLedger() throws IOException {
    byte[] v1 = text("# Today\n- buy milk\n");
    RemoteEntry e =
        remote.push(
            "notes", NOTE, null, new ByteArrayInputStream(delta(new byte[0], v1)), "laptop");
    assertThat(e.seq()).isEqualTo(1);
    assertThat(e.hash()).isEqualTo(ContentHash.digestOf(v1));

    ByteArrayOutputStream d = new ByteArrayOutputStream();
    remote.fetch("notes", e.hash(), null, d);
    assertThat(patch(new byte[0], d.toByteArray())).isEqualTo(v1);
    assertThat(remote.manifest("notes").entries()).containsExactly(e);
    assertThat(remote.changesSince("notes", 0, 10).changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.op()).isEqualTo(Change.Op.PUT);
              assertThat(c.device()).isEqualTo("laptop");
            });
  }

  @Test
  void editTravelsAsDeltaAgainstTheBaseAndOldVersionStaysRetrievable() throws IOException {
    byte[] v1 = text("# Today\n" + "line of a note\n".repeat(400));
    byte[] v2 =
        text(
            "# Today\n"
                + "line of a note\n".repeat(200)
                + "NEW\n"
                + "line of a note\n".repeat(200));
    RemoteEntry e1 =
        remote.push("notes", NOTE, null, new ByteArrayInputStream(delta(new byte[0], v1)), "a");
    byte[] up = delta(v1, v2);
    assertThat(up.length).isLessThan(v2.length / 4);
    RemoteEntry e2 = remote.push("notes", NOTE, e1.hash(), new ByteArrayInputStream(up), "a");
    assertThat(e2.seq()).isEqualTo(2);

    ByteArrayOutputStream down = new ByteArrayOutputStream();
    remote.fetch("notes", e2.hash(), e1.hash(), down);
    assertThat(down.size()).isLessThan(v2.length / 4);
    assertThat(patch(v1, down.toByteArray())).isEqualTo(v2);
    assertThat(remote.content("notes", e1.hash())).isEqualTo(v1);
  }

  @Test
  void pushAgainstStaleBaseIsRefusedAndChangesNothing() throws IOException {
    byte[] v1 = text("one\n");
    RemoteEntry e1 =
        remote.push("notes", NOTE, null, new ByteArrayInputStream(delta(new byte[0], v1)), "a");
    remote.push("notes", NOTE, e1.hash(), new ByteArrayInputStream(delta(v1, text("two\n"))), "a");
    assertThatThrownBy(
            () ->
                remote.push(
                    "notes",
                    NOTE,
                    e1.hash(),
                    new ByteArrayInputStream(delta(v1, text("three\n"))),
                    "b"))
        .isInstanceOf(StaleVersionException.class)
        .hasMessageContaining(e1.hash().hex())
        .satisfies(ex -> assertThat(((StaleVersionException) ex).current().seq()).isEqualTo(2));
    assertThat(remote.changesSince("notes", 0, 10).headSeq()).isEqualTo(2);
  }

  @Test
  void creatingAFileThatExistsIsStale() throws IOException {
    remote.push("notes", NOTE, null, new ByteArrayInputStream(delta(new byte[0], text("a"))), "a");
    assertThatThrownBy(
            () ->
                remote.push(
                    "notes",
                    NOTE,
                    null,
                    new ByteArrayInputStream(delta(new byte[0], text("b"))),
                    "b"))
        .isInstanceOf(StaleVersionException.class);
  }

  @Test
  void corruptDeltaIsRejectedAndNothingIsRecorded() throws IOException {
    byte[] d = delta(new byte[0], text("hello hello hello\n"));
    d[d.length - 1] ^= 1; // the declared hash no longer matches
    assertThatThrownBy(() -> remote.push("notes", NOTE, null, new ByteArrayInputStream(d), "a"))
        .isInstanceOf(CorruptDataException.class);
    assertThat(remote.manifest("notes").entries()).isEmpty();
    assertThat(remote.changesSince("notes", 0, 10).changes()).isEmpty();
  }

  @Test
  void moveAndDeleteAreLedgerEntriesWithoutContent() throws IOException {
    byte[] v1 = text("moving note\n");
    RemoteEntry e1 =
        remote.push("notes", NOTE, null, new ByteArrayInputStream(delta(new byte[0], v1)), "a");
    NotePath to = NotePath.of("Archive/2026-11-26.md");
    Change moved = remote.move("notes", NOTE, to, e1.hash(), "a");
    assertThat(moved.hash()).isEqualTo(e1.hash());
    long seq = remote.delete("notes", to, e1.hash(), "a").seq();
    assertThat(seq).isEqualTo(3);
    ChangePage page = remote.changesSince("notes", 1, 10);
    assertThat(page.changes())
        .extracting(Change::op)
        .containsExactly(Change.Op.MOVE, Change.Op.DELETE);
    assertThat(page.changes().get(0).previousPath()).isEqualTo(NOTE);
    assertThat(remote.manifest("notes").entries()).isEmpty();
  }

  @Test
  void batchAppliesInOrderSkipsStaleOnesAndNumbersTheRestConsecutively() throws IOException {
    byte[] a = text("alpha\n");
    RemoteEntry ea =
        remote.push(
            "notes",
            NotePath.of("a.md"),
            null,
            new ByteArrayInputStream(delta(new byte[0], a)),
            "x");
    List<Outcome> out =
        remote.commit(
            "notes",
            List.of(
                new Mutation.Put(NotePath.of("b.md"), null, delta(new byte[0], text("beta\n"))),
                new Mutation.Put(NotePath.of("a.md"), null, delta(new byte[0], text("stale\n"))),
                new Mutation.Move(
                    NotePath.of("b.md"),
                    NotePath.of("dir/b.md"),
                    ContentHash.digestOf(text("beta\n"))),
                new Mutation.Delete(NotePath.of("a.md"), ea.hash())),
            "y");
    assertThat(out).hasSize(4);
    assertThat(out.get(1)).isInstanceOf(Outcome.Stale.class);
    assertThat(((Outcome.Stale) out.get(1)).current()).isEqualTo(ea);
    assertThat(List.of(out.get(0), out.get(2), out.get(3)))
        .allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Applied.class))
        .extracting(o -> ((Outcome.Applied) o).change().seq())
        .containsExactly(2L, 3L, 4L);
    assertThat(remote.manifest("notes").entries())
        .extracting(e -> e.path().value())
        .containsExactly("dir/b.md");
  }

  @Test
  void batchWithACorruptDeltaRecordsNothing() throws IOException {
    byte[] bad = delta(new byte[0], text("will be corrupted\n"));
    bad[bad.length - 1] ^= 1;
    List<Mutation> batch =
        List.of(
            new Mutation.Put(NotePath.of("ok.md"), null, delta(new byte[0], text("fine\n"))),
            new Mutation.Put(NotePath.of("bad.md"), null, bad));
    assertThatThrownBy(() -> remote.commit("notes", batch, "x"))
        .isInstanceOf(CorruptDataException.class);
    assertThat(remote.manifest("notes").entries()).isEmpty();
    assertThat(remote.changesSince("notes", 0, 10).headSeq()).isZero();
  }

  @Test
  void changesArePagedInSequenceOrder() throws IOException {
    ContentHash prev = null;
    byte[] prevContent = new byte[0];
    for (int i = 0; i < 7; i++) {
      byte[] c = text("version " + i + "\n");
      prev =
          remote
              .push("notes", NOTE, prev, new ByteArrayInputStream(delta(prevContent, c)), "a")
              .hash();
      prevContent = c;
    }
    ChangePage first = remote.changesSince("notes", 0, 3);
    assertThat(first.changes()).extracting(Change::seq).containsExactly(1L, 2L, 3L);
    assertThat(first.hasMore()).isTrue();
    ChangePage last = remote.changesSince("notes", 6, 3);
    assertThat(last.changes()).extracting(Change::seq).containsExactly(7L);
    assertThat(last.hasMore()).isFalse();
  }

  @Test
  void listVaultsCountsFilesBytesAndLastChange() throws IOException {
    remote.createVault("empty");
    byte[] v1 = text("twelve bytes");
    remote.push("notes", NOTE, null, new ByteArrayInputStream(delta(new byte[0], v1)), "a");
    assertThat(remote.listVaults())
        .extracting(VaultInfo::name, VaultInfo::files, VaultInfo::bytes, VaultInfo::headSeq)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("empty", 0L, 0L, 0L),
            org.assertj.core.groups.Tuple.tuple("notes", 1L, 12L, 1L));
    assertThat(remote.listVaults().get(0).lastChange()).isNull();
    assertThat(remote.listVaults().get(1).lastChange()).isNotNull();
  }

  @Test
  void unknownVaultAndContentAreNotFound() {
    assertThatThrownBy(() -> remote.manifest("nope"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
    ContentHash unknown = ContentHash.digestOf(text("never stored"));
    assertThatThrownBy(() -> remote.fetch("notes", unknown, null, new ByteArrayOutputStream()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(unknown.hex());
  }

  private RemoteEntry put(String path, String content) throws IOException {
    return remote.push(
        "notes",
        NotePath.of(path),
        null,
        new ByteArrayInputStream(delta(new byte[0], text(content))),
        "laptop");
  }

  @Test
  void rootAtHeadIsTheMerkleRootOfTheManifest() throws IOException {
    put("a.md", "a");
    put("b.md", "b");
    VaultRoot root = remote.root("notes");
    assertThat(root.seq()).isEqualTo(2);
    assertThat(root.files()).isEqualTo(2);
    assertThat(root.bytes()).isEqualTo(2);
    assertThat(root).isEqualTo(VaultRoot.of(remote.manifest("notes")));
    assertThat(remote.root("notes").root())
        .isEqualTo(
            io.vaultsync.model.tree.MerkleTree.rootOf(
                io.vaultsync.model.tree.Manifest.of(
                    List.of(
                        new io.vaultsync.model.tree.ManifestEntry(
                            NotePath.of("a.md"), 1, 0, ContentHash.digestOf(text("a"))),
                        new io.vaultsync.model.tree.ManifestEntry(
                            NotePath.of("b.md"), 1, 0, ContentHash.digestOf(text("b")))))));
  }

  @Test
  void snapshotKeepsTheManifestAtItsSeqAndCompactionStopsAtTheOldestSnapshot() throws IOException {
    assertThatThrownBy(() -> remote.snapshot("notes", false)).isInstanceOf(NotFoundException.class);
    RemoteEntry a = put("a.md", "a");
    put("b.md", "b");
    SnapshotInfo snap = remote.snapshot("notes", true);
    assertThat(snap.seq()).isEqualTo(2);
    assertThat(remote.snapshot("notes", true)).as("already at head").isEqualTo(snap);
    remote.delete("notes", a.path(), a.hash(), "laptop");
    assertThat(remote.snapshotManifest("notes", 2).entries()).hasSize(2);
    assertThat(remote.snapshot("notes", false)).isEqualTo(snap);

    assertThatThrownBy(() -> remote.compact("notes", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("up to seq 3")
        .hasMessageContaining("oldest snapshot's seq 2");
    assertThat(remote.compact("notes", 2)).isEqualTo(2);

    ChangePage behind = remote.changesSince("notes", 1, 10);
    assertThat(behind.changes()).isEmpty();
    assertThat(behind.compactedAfter(1)).isTrue();
    assertThat(behind.horizonSeq()).isEqualTo(2);
    ChangePage tail = remote.changesSince("notes", 2, 10);
    assertThat(tail.compactedAfter(2)).isFalse();
    assertThat(tail.changes()).singleElement().extracting(Change::seq).isEqualTo(3L);
    assertThat(remote.listVaults().get(0).headSeq()).isEqualTo(3);
  }

  @Test
  void fetchManyAnswersEachItemInOrderAndReportsAnUnknownHashForItsItemOnly() throws IOException {
    byte[] a = text("# A\n");
    byte[] b1 = text("# B\nfirst line of b\n");
    byte[] b2 = text("# B\nfirst line of b\nsecond line\n");
    remote.push(
        "notes", NotePath.of("a.md"), null, new ByteArrayInputStream(delta(new byte[0], a)), "d");
    RemoteEntry eb1 =
        remote.push(
            "notes",
            NotePath.of("b.md"),
            null,
            new ByteArrayInputStream(delta(new byte[0], b1)),
            "d");
    remote.push(
        "notes", NotePath.of("b.md"), eb1.hash(), new ByteArrayInputStream(delta(b1, b2)), "d");
    ContentHash unknown = ContentHash.digestOf(text("never stored"));
    RecordingFetchReceiver r = new RecordingFetchReceiver();

    remote.fetchMany(
        "notes",
        List.of(
            new FetchItem(ContentHash.digestOf(a), null),
            new FetchItem(unknown, null),
            new FetchItem(ContentHash.digestOf(b2), eb1.hash())),
        r);

    assertThat(r.calls).containsExactly("begin 0", "end 0", "notFound 1", "begin 2", "end 2");
    assertThat(patch(new byte[0], r.deltas.get(0))).isEqualTo(a);
    assertThat(patch(b1, r.deltas.get(2))).isEqualTo(b2);
    assertThat(r.notFound.get(1)).contains(unknown.hex());
  }

  @Test
  void fetchManyOfMoreThanTheLimitOrOfAnUnknownVaultFailsBeforeAnyItem() {
    ContentHash h = ContentHash.digestOf(new byte[0]);
    List<FetchItem> tooMany =
        java.util.Collections.nCopies(VaultTransport.MAX_FETCH_ITEMS + 1, new FetchItem(h, null));
    RecordingFetchReceiver r = new RecordingFetchReceiver();

    assertThatThrownBy(() -> remote.fetchMany("notes", tooMany, r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1001")
        .hasMessageContaining("1000");
    assertThatThrownBy(() -> remote.fetchMany("nope", List.of(new FetchItem(h, null)), r))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
    assertThat(r.calls).isEmpty();
  }

  private static Mutation.Put putNew(String path, String content) throws IOException {
    return new Mutation.Put(NotePath.of(path), null, delta(new byte[0], text(content)));
  }

  /**
   * Issue 12 item 5: a file below a file, a file where a folder of files is and client-internal
   * names are refused per item with a reason; the batch's other files are applied, and the refused
   * ones leave nothing in the ledger.
   */
  @Test
  void commitRefusesTreesNoClientCanHoldPerItemAndAppliesTheRest() throws IOException {
    remote.commit("notes", List.of(putNew("dir1", "a file"), putNew("notes/a.md", "a")), "A");
    long before = remote.changesSince("notes", 0, 100).headSeq();

    List<Outcome> outcomes =
        remote.commit(
            "notes",
            List.of(
                putNew("dir1/child.md", "below a file"),
                putNew("notes", "where a folder is"),
                putNew(".vaultsync/token", "secret"),
                putNew(".vstmp-x", "temp"),
                putNew("ok.md", "fine"),
                new Mutation.Move(
                    NotePath.of("ok.md"),
                    NotePath.of("dir1/moved.md"),
                    ContentHash.digestOf(text("fine")))),
            "B");

    assertThat(outcomes.get(0))
        .isEqualTo(new Outcome.Refused(NotePath.of("dir1/child.md"), reason(outcomes.get(0))));
    assertThat(reason(outcomes.get(0))).contains("\"dir1\" is a file");
    assertThat(reason(outcomes.get(1))).contains("\"notes\" is a folder");
    assertThat(reason(outcomes.get(2))).contains(".vaultsync");
    assertThat(reason(outcomes.get(3))).contains(".vstmp-");
    assertThat(outcomes.get(4)).isInstanceOf(Outcome.Applied.class);
    assertThat(((Outcome.Refused) outcomes.get(5)).path()).isEqualTo(NotePath.of("dir1/moved.md"));
    assertThat(remote.manifest("notes").entries())
        .extracting(e -> e.path().value())
        .containsExactly("dir1", "notes/a.md", "ok.md");
    assertThat(remote.changesSince("notes", 0, 100).headSeq()).isEqualTo(before + 1);
  }

  /** The two clients of a race each keep their file; the second is refused and told why. */
  @Test
  void aFileAndAFolderOfTheSameNameRaceAndTheSecondIsRefusedEitherWay() throws IOException {
    remote.commit("notes", List.of(putNew("notes", "file first")), "A");
    assertThat(remote.commit("notes", List.of(putNew("notes/a.md", "x")), "B").get(0))
        .isInstanceOf(Outcome.Refused.class);
    assertThatThrownBy(
            () ->
                remote.push(
                    "notes",
                    NotePath.of("notes/b.md"),
                    null,
                    new ByteArrayInputStream(delta(new byte[0], text("y"))),
                    "B"))
        .isInstanceOfSatisfying(
            PathRefusedException.class,
            e -> {
              assertThat(e.path()).isEqualTo("notes/b.md");
              assertThat(e.reason()).contains("\"notes\" is a file");
            });
    // Replacing the file by a folder in one batch (delete, then put below it) is fine.
    assertThat(
            remote.commit(
                "notes",
                List.of(
                    new Mutation.Delete(
                        NotePath.of("notes"), ContentHash.digestOf(text("file first"))),
                    putNew("notes/a.md", "x")),
                "A"))
        .allMatch(o -> o instanceof Outcome.Applied);
    // And a move of a file into a folder of its own old name.
    remote.commit("notes", List.of(putNew("n", "n")), "A");
    assertThat(
            remote.commit(
                "notes",
                List.of(
                    new Mutation.Move(
                        NotePath.of("n"), NotePath.of("n/n.md"), ContentHash.digestOf(text("n")))),
                "A"))
        .allMatch(o -> o instanceof Outcome.Applied);
  }

  private static String reason(Outcome o) {
    return ((Outcome.Refused) o).reason();
  }
}
