package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.KeptSignature;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.Manifest;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.ScanResult;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a move with an edit is planned: from the change feed (MOVE then PUT), and from a local pair
 * {@link MovePairing} finds by similarity; and what the remote view remembers to do it.
 */
class MoveWithEditPlanTest {
  private static final NotePath A = NotePath.of("Inbox/idea.md");
  private static final NotePath B = NotePath.of("Projects/Idea.md");

  @TempDir Path tmp;

  private static ContentHash hash(String s) {
    return ContentHash.digestOf(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Change change(long seq, Change.Op op, NotePath path, NotePath from, String c) {
    return new Change(seq, op, path, from, hash(c), c.length(), "laptop", Instant.EPOCH);
  }

  /** An index at seq 1 of {@code entries}. */
  private static LocalIndex index(IndexEntry... entries) {
    return new LocalIndex(1, List.of(entries));
  }

  /** The index entry of {@code content} at {@code path} (no mtime, no kept signature). */
  private static IndexEntry entry(NotePath path, String content) {
    return new IndexEntry(path, content.length(), 0, hash(content), null);
  }

  /** The plan with B paired as A moved and edited ({@link MovePairing}'s finding). */
  private static SyncPlan planWithBPairedToA(LocalIndex index, ScanResult scan, RemoteView remote) {
    return SyncPlanner.plan(
        index, scan, remote, io.vaultsync.model.tree.PathFilter.NONE, new MovePairs(Map.of(B, A)));
  }

  /**
   * The server's view at {@code seq}: one file, {@code content} at {@code path}; the index at 1.
   */
  private static RemoteView remoteAt(long seq, NotePath path, String content) {
    return RemoteView.of(
        new RemoteManifest(
            seq, List.of(new RemoteEntry(path, hash(content), content.length(), seq))),
        1);
  }

  /** What a scan sees: one file, {@code content} at {@code path}. */
  private static ScanResult scanOf(NotePath path, String content) {
    return scan(new ManifestEntry(path, content.length(), 0, hash(content)));
  }

  private static ScanResult scan(ManifestEntry... entries) {
    return new ScanResult(Manifest.of(List.of(entries)), List.of(), List.of(), 0, 0, 0);
  }

  @Test
  void aMoveThenAnEditOnTheFeedIsPlannedAsALocalMoveAndADeltaDownload() {
    LocalIndex index = index(entry(A, "old"));
    RemoteView remote =
        RemoteView.fold(
            index,
            List.of(
                change(2, Change.Op.MOVE, B, A, "old"), change(3, Change.Op.PUT, B, null, "new!")),
            3);
    assertThat(remote.movedFrom()).containsExactly(Map.entry(B, A));

    SyncPlan plan = SyncPlanner.plan(index, scanOf(A, "old"), remote);

    assertThat(plan.actions())
        .containsExactly(
            new SyncAction.MoveLocal(A, B, hash("old")),
            new SyncAction.Download(B, new Version(hash("new!"), 4), hash("old")));
  }

  /** From a whole manifest the origin is unknown: the documented fallback is delete + download. */
  @Test
  void fromAManifestTheSameStateIsADeleteAndAWholeDownload() {
    LocalIndex index = index(entry(A, "old"));
    RemoteView remote = remoteAt(3, B, "new!");

    SyncPlan plan = SyncPlanner.plan(index, scanOf(A, "old"), remote);

    assertThat(plan.actions())
        .containsExactlyInAnyOrder(
            new SyncAction.DeleteLocal(A, hash("old")),
            new SyncAction.Download(B, new Version(hash("new!"), 4), null));
  }

  /** The origin follows a chain of moves and is forgotten when the file is deleted. */
  @Test
  void theRemoteViewFollowsMoveChainsAndForgetsDeletedFiles() {
    NotePath c = NotePath.of("c.md");
    NotePath d = NotePath.of("d.md");
    LocalIndex index = index(entry(A, "a"), entry(d, "d"));
    RemoteView remote =
        RemoteView.fold(
            index,
            List.of(
                change(2, Change.Op.MOVE, B, A, "a"),
                change(3, Change.Op.MOVE, c, B, "a"),
                change(4, Change.Op.MOVE, NotePath.of("e.md"), d, "d"),
                change(5, Change.Op.DELETE, NotePath.of("e.md"), null, "d")),
            5);
    assertThat(remote.movedFrom()).containsExactly(Map.entry(c, A));
  }

  @Test
  void theRemoteViewKnowsWhichDeletesWereConfirmedLast() {
    LocalIndex index = index(entry(A, "a"), entry(B, "b"));
    RemoteView remote =
        RemoteView.fold(
            index,
            List.of(
                new Change(2, Change.Op.DELETE, A, null, hash("a"), 1, "x", Instant.EPOCH, true),
                new Change(3, Change.Op.DELETE, B, null, hash("b"), 1, "x", Instant.EPOCH, true),
                change(4, Change.Op.PUT, B, null, "b2"),
                change(5, Change.Op.DELETE, B, null, "b2")),
            5);
    assertThat(remote.deleteConfirmed(A)).isTrue();
    assertThat(remote.deleteConfirmed(B)).as("its latest delete was not confirmed").isFalse();
    assertThat(RemoteView.of(new RemoteManifest(5, List.of()), 1).deleteConfirmed(A)).isFalse();
  }

  @Test
  void aLocalPairIsPlannedAsARemoteMoveAndAnUploadAgainstTheMovedVersion() {
    LocalIndex index = index(entry(A, "old"));
    RemoteView remote = remoteAt(1, A, "old");
    ScanResult scan = scanOf(B, "new!");

    SyncPlan unpaired = SyncPlanner.plan(index, scan, remote);
    assertThat(unpaired.actions())
        .containsExactlyInAnyOrder(
            new SyncAction.DeleteRemote(A, hash("old")),
            new SyncAction.Upload(B, null, new Version(hash("new!"), 4)));

    SyncPlan paired = planWithBPairedToA(index, scan, remote);
    assertThat(paired.actions())
        .containsExactly(
            new SyncAction.MoveRemote(A, B, hash("old")),
            new SyncAction.Upload(B, hash("old"), new Version(hash("new!"), 4)));
  }

  /** A pair whose source changed on the server meanwhile is not a move: the per-path rules run. */
  @Test
  void aLocalPairIsIgnoredWhenTheServerChangedTheSource() {
    LocalIndex index = index(entry(A, "old"));
    RemoteView remote = remoteAt(2, A, "theirs");
    ScanResult scan = scanOf(B, "new!");

    SyncPlan plan = planWithBPairedToA(index, scan, remote);
    assertThat(plan.actions()).noneMatch(a -> a instanceof SyncAction.MoveRemote);
    assertThat(plan.actions()).noneMatch(a -> a instanceof SyncAction.DeleteRemote);
  }

  /**
   * A new file the scan saw being written may be a vanished file under its new name: the delete
   * waits for the next sync, which can pair them, instead of going out now.
   */
  @Test
  void aDeleteWaitsWhileANewFileIsBeingWritten() {
    LocalIndex index = index(entry(A, "old"));
    RemoteView remote = remoteAt(1, A, "old");
    ScanResult writing = new ScanResult(Manifest.of(List.of()), List.of(), List.of(B), 0, 0, 0);

    SyncPlan plan = SyncPlanner.plan(index, writing, remote);

    assertThat(plan.actions())
        .containsExactlyInAnyOrder(
            new SyncAction.Skip(B, "changed while being read"),
            new SyncAction.Skip(
                A,
                "its delete waits while Projects/Idea.md is being written (it may be this file"
                    + " under a new name)"));
  }

  // ---- MovePairing ----

  private static String note(Random rnd, int lines) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      sb.append("line ").append(rnd.nextLong()).append(" of a note that goes on\n");
    }
    return sb.toString();
  }

  private IndexEntry synced(NotePath p, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new IndexEntry(
        p,
        bytes.length,
        0,
        ContentHash.digestOf(bytes),
        KeptSignature.of(SignatureBuilder.of(bytes, SignatureParams.forBasisLength(bytes.length))));
  }

  private SyncAction.Upload written(NotePath p, String content) throws Exception {
    Path f = p.toFile(tmp);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new SyncAction.Upload(p, null, new Version(ContentHash.digestOf(bytes), bytes.length));
  }

  @Test
  void similarityPairsARenamedAndEditedNotePreferringTheSameNameAndLeavesUnrelatedFilesAlone()
      throws Exception {
    Random rnd = new Random(8);
    System.out.println("MoveWithEditPlanTest seed 8");
    String idea = note(rnd, 40);
    String other = note(rnd, 40);
    NotePath moved = NotePath.of("Archive/idea.md"); // same name, another folder
    NotePath renamed = NotePath.of("Projects/Renamed.md"); // another name, same extension
    NotePath unrelated = NotePath.of("fresh.md");
    NotePath otherGone = NotePath.of("other.md");
    List<IndexEntry> base = new ArrayList<>();
    base.add(synced(A, idea));
    base.add(synced(otherGone, other));
    LocalIndex index = new LocalIndex(1, base);
    List<SyncAction> actions = new ArrayList<>();
    actions.add(new SyncAction.DeleteRemote(A, base.get(0).hash()));
    actions.add(new SyncAction.DeleteRemote(otherGone, base.get(1).hash()));
    actions.add(written(moved, idea + "edited after the move\n"));
    actions.add(written(renamed, "# Renamed\n" + other));
    actions.add(written(unrelated, note(rnd, 40)));
    SyncPlan plan = new SyncPlan(actions, RemoteView.of(new RemoteManifest(1, List.of()), 1));

    MovePairs pairs = MovePairing.find(plan, index, new SafeFiles(tmp, tmp));

    assertThat(pairs.movedFrom()).containsOnly(Map.entry(moved, A), Map.entry(renamed, otherGone));
  }

  @Test
  void nothingIsReadWhenThereIsNothingToPair() throws Exception {
    LocalIndex index = new LocalIndex(1, List.of());
    // The upload's file does not even exist: reading it would fail.
    SyncPlan plan =
        new SyncPlan(
            List.of(new SyncAction.Upload(B, null, new Version(hash("x"), 1))),
            RemoteView.of(new RemoteManifest(1, List.of()), 1));
    assertThat(MovePairing.find(plan, index, new SafeFiles(tmp, tmp)).isEmpty()).isTrue();
  }
}
