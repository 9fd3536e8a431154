package io.vaultsync.protocol.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.StaleVersionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The commit rules alone, over a head in memory: no store, no ledger, no network. A put's "delta"
 * is its content here (the {@link CommitRules.ContentWriter} of these tests stores it as is).
 */
class CommitRulesTest {
  private final TreeMap<NotePath, RemoteEntry> head = new TreeMap<>();
  private final List<Mutation.Put> written = new ArrayList<>();
  private long seq;

  @Test
  void putOfANewPathIsRecordedAndItsOutcomeIsTheRecordedChange() throws IOException {
    CommitPlan plan = plan(put("a.md", null, "one"));

    assertThat(plan.changes()).containsExactly(NewChange.put(p("a.md"), hash("one"), 3));
    List<Outcome> outcomes = apply(plan);
    assertThat(outcomes).hasSize(1);
    assertThat(((Outcome.Applied) outcomes.get(0)).change().hash()).isEqualTo(hash("one"));
    assertThat(head).containsKey(p("a.md"));
  }

  @Test
  void putOverAnotherVersionIsStaleNamingTheCurrentFileAndTheRestOfTheBatchApplies()
      throws IOException {
    apply(plan(put("a.md", null, "one")));
    written.clear();

    CommitPlan plan = plan(put("a.md", hash("zero"), "two"), put("b.md", null, "three"));

    assertThat(plan.refusals()).containsExactly(new Outcome.Stale(p("a.md"), head.get(p("a.md"))));
    assertThat(plan.changes()).containsExactly(NewChange.put(p("b.md"), hash("three"), 5));
    assertThat(written).extracting(Mutation.Put::path).doesNotContain(p("a.md"));
  }

  @Test
  void retriedBatchChangesNothingAndEachOutcomeNamesTheVersionTheFirstTryWrote()
      throws IOException {
    List<Mutation> batch = List.of(put("a.md", null, "one"), put("b.md", null, "two"));
    apply(CommitRules.plan(VaultHead.of(head), batch, CommitOptions.DEFAULTS, this::write));

    CommitPlan retry =
        CommitRules.plan(VaultHead.of(head), batch, CommitOptions.DEFAULTS, this::write);

    assertThat(retry.changes()).isEmpty();
    assertThat(retry.outcomes(List.of()))
        .allSatisfy(
            o -> assertThat(((Outcome.Stale) o).current().hash()).isIn(hash("one"), hash("two")));
  }

  @Test
  void deleteOfAFileNotThereOrAtAnotherVersionIsStale() throws IOException {
    apply(plan(put("a.md", null, "one")));

    CommitPlan plan = plan(delete("gone.md", hash("x")), delete("a.md", hash("other")));

    assertThat(plan.changes()).isEmpty();
    assertThat(plan.refusals())
        .containsExactly(
            new Outcome.Stale(p("gone.md"), null),
            new Outcome.Stale(p("a.md"), head.get(p("a.md"))));
  }

  @Test
  void deletesOfABatchThatAllowedMassDeletesAreConfirmedAndOthersAreNot() throws IOException {
    apply(plan(put("a.md", null, "one"), put("b.md", null, "two")));

    CommitPlan allowed =
        CommitRules.plan(
            VaultHead.of(head),
            List.of(delete("a.md", hash("one"))),
            CommitOptions.ALLOW_MASS_DELETE,
            this::write);
    CommitPlan plain = plan(delete("b.md", hash("two")));

    assertThat(allowed.changes().get(0).confirmed()).isTrue();
    assertThat(plain.changes().get(0).confirmed()).isFalse();
  }

  @Test
  void moveOntoAnOccupiedPathIsStaleAtItsTarget() throws IOException {
    apply(plan(put("a.md", null, "one"), put("b.md", null, "two")));

    CommitPlan plan = plan(new Mutation.Move(p("a.md"), p("b.md"), hash("one")));

    assertThat(plan.refusals()).containsExactly(new Outcome.Stale(p("b.md"), head.get(p("b.md"))));
  }

  @Test
  void moveOfAFileIntoAFolderOfItsOwnNameIsAllowed() throws IOException {
    apply(plan(put("a", null, "one")));

    CommitPlan plan = plan(new Mutation.Move(p("a"), p("a/b.md"), hash("one")));

    assertThat(plan.changes()).containsExactly(NewChange.move(p("a"), p("a/b.md"), hash("one"), 3));
  }

  @Test
  void moveRefusedByTheTreeRulesLeavesItsSourceInPlaceForTheRestOfTheBatch() throws IOException {
    apply(plan(put("a.md", null, "one"), put("f", null, "file")));

    CommitPlan plan =
        plan(new Mutation.Move(p("a.md"), p("f/a.md"), hash("one")), delete("a.md", hash("one")));

    assertThat(plan.refusals()).hasSize(1);
    assertThat(plan.refusals().get(0)).isInstanceOf(Outcome.Refused.class);
    assertThat(plan.changes()).containsExactly(NewChange.delete(p("a.md"), hash("one"), 3));
  }

  @Test
  void putBelowAFileIsRefusedAndItsContentIsNeverWritten() throws IOException {
    apply(plan(put("notes", null, "file")));

    CommitPlan plan = plan(put("notes/a.md", null, "below"));

    assertThat(plan.refusals()).singleElement().isInstanceOf(Outcome.Refused.class);
    assertThat(written).extracting(Mutation.Put::path).doesNotContain(p("notes/a.md"));
  }

  @Test
  void putOfAFileWhereAnEarlierPutOfTheBatchMadeAFolderIsRefused() throws IOException {
    CommitPlan plan = plan(put("d/a.md", null, "one"), put("d", null, "two"));

    assertThat(plan.changes()).containsExactly(NewChange.put(p("d/a.md"), hash("one"), 3));
    assertThat(((Outcome.Refused) plan.refusals().get(0)).path()).isEqualTo(p("d"));
  }

  @Test
  void putOverAnExistingFileIsAllowedWhereTheTreeAlreadyClashes() throws IOException {
    head.put(p("x"), new RemoteEntry(p("x"), hash("file"), 4, 1));
    head.put(p("x/y.md"), new RemoteEntry(p("x/y.md"), hash("old"), 3, 2)); // stored before rules

    CommitPlan plan = plan(put("x/y.md", hash("old"), "new"));

    assertThat(plan.refusals()).isEmpty();
    assertThat(plan.changes()).hasSize(1);
  }

  @Test
  void batchOfMoreThanMaxBatchMutationsIsRefusedNamingTheLimit() throws IOException {
    CommitRules.checkBatchSize(Limits.COMMIT_MUTATIONS);
    assertThatThrownBy(() -> CommitRules.checkBatchSize(Limits.COMMIT_MUTATIONS + 1))
        .isInstanceOf(io.vaultsync.protocol.InvalidRequestException.class)
        .hasMessageContaining("at most " + Limits.COMMIT_MUTATIONS);
  }

  @Test
  void massDeleteIsRefusedWholeNamingTheDeletesAndTheFiles() {
    CommitRules rules = new CommitRules(DeleteLimits.DEFAULTS);

    assertThatThrownBy(
            () ->
                rules.checkDeletes(
                    "notes",
                    "laptop",
                    deletes(10),
                    CommitOptions.DEFAULTS,
                    RecentDeletes.inMemory(),
                    0,
                    () -> 20))
        .isInstanceOfSatisfying(
            MassDeleteRefusedException.class,
            e -> {
              assertThat(e.deletes()).isEqualTo(10);
              assertThat(e.files()).isEqualTo(20);
            });
  }

  @Test
  void deletesOfOneDeviceInTheWindowCountTogetherAndOtherDevicesDoNot() throws IOException {
    CommitRules rules = new CommitRules(DeleteLimits.DEFAULTS);
    RecentDeletes recent = RecentDeletes.inMemory();
    rules.checkDeletes("notes", "laptop", deletes(6), CommitOptions.DEFAULTS, recent, 0, () -> 20);
    rules.checkDeletes("notes", "phone", deletes(6), CommitOptions.DEFAULTS, recent, 1, () -> 14);

    assertThatThrownBy(
            () ->
                rules.checkDeletes(
                    "notes", "laptop", deletes(4), CommitOptions.DEFAULTS, recent, 2, () -> 8))
        .isInstanceOfSatisfying(
            MassDeleteRefusedException.class,
            e -> {
              assertThat(e.deletes()).isEqualTo(10);
              assertThat(e.files()).isEqualTo(14); // the 8 left plus the 6 deleted before
            });
  }

  @Test
  void deletesOlderThanTheWindowNoLongerCount() throws IOException {
    CommitRules rules = new CommitRules(DeleteLimits.DEFAULTS);
    RecentDeletes recent = RecentDeletes.inMemory();
    long window = DeleteLimits.WINDOW.toMillis();
    rules.checkDeletes("notes", "laptop", deletes(6), CommitOptions.DEFAULTS, recent, 0, () -> 20);

    rules.checkDeletes(
        "notes", "laptop", deletes(4), CommitOptions.DEFAULTS, recent, window, () -> 14);

    assertThat(recent.since("notes", "laptop", 1)).isEqualTo(4);
  }

  @Test
  void permittedMassDeletesPassAndDoNotCountTowardsTheWindow() throws IOException {
    CommitRules rules = new CommitRules(DeleteLimits.DEFAULTS);
    RecentDeletes recent = RecentDeletes.inMemory();

    rules.checkDeletes(
        "notes", "laptop", deletes(50), CommitOptions.ALLOW_MASS_DELETE, recent, 0, () -> 50);

    assertThat(recent.since("notes", "laptop", 0)).isZero();
  }

  @Test
  void deletesBelowTheFloorAndTheCapDoNotCountTheVaultsFiles() throws IOException {
    new CommitRules(new DeleteLimits(500, 30, 10))
        .checkDeletes(
            "notes",
            "laptop",
            deletes(9),
            CommitOptions.DEFAULTS,
            RecentDeletes.inMemory(),
            0,
            () -> {
              throw new AssertionError("counted the files for 9 deletes under a floor of 10");
            });
  }

  @Test
  void pushOverAnotherVersionIsStaleAndBelowAFileIsRefused() throws IOException {
    apply(plan(put("a", null, "file")));

    assertThatThrownBy(() -> CommitRules.checkPush("notes", VaultHead.of(head), p("a"), null))
        .isInstanceOf(StaleVersionException.class);
    assertThatThrownBy(() -> CommitRules.checkPush("notes", VaultHead.of(head), p("a/b"), null))
        .isInstanceOf(PathRefusedException.class);
    assertThat(CommitRules.checkPush("notes", VaultHead.of(head), p("a"), hash("file")))
        .isEqualTo(head.get(p("a")));
  }

  @Test
  void headInAMapFindsPathsBelowAFolderAndStepsOverNamesThatOnlyStartLikeIt() throws IOException {
    for (String s : List.of("a", "a b", "a.md", "a/x", "a/y", "a0", "b/z")) {
      head.put(p(s), new RemoteEntry(p(s), hash(s), 1, 1));
    }
    VaultHead h = VaultHead.of(head);

    assertThat(h.pathsUnder(p("a"), null, 10)).containsExactly(p("a/x"), p("a/y"));
    assertThat(h.pathsUnder(p("a"), p("a/x"), 10)).containsExactly(p("a/y"));
    assertThat(h.foldersAmong(List.of(p("a"), p("a.md"), p("b")))).containsOnly(p("a"), p("b"));
  }

  @Test
  void outcomesOfAPlanNeedEachChangeRecorded() throws IOException {
    CommitPlan plan = plan(put("a.md", null, "one"));

    assertThatThrownBy(() -> plan.outcomes(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 changes recorded for a plan of 1");
  }

  private CommitPlan plan(Mutation... mutations) throws IOException {
    return CommitRules.plan(
        VaultHead.of(head), List.of(mutations), CommitOptions.DEFAULTS, this::write);
  }

  private CommitRules.Stored write(Mutation.Put put, RemoteEntry basis) {
    written.add(put);
    return new CommitRules.Stored(ContentHash.digestOf(put.delta()), put.deltaLength());
  }

  /** Records {@code plan} into {@link #head} as a ledger would, numbering its changes. */
  private List<Outcome> apply(CommitPlan plan) {
    List<Change> recorded = new ArrayList<>();
    for (NewChange n : plan.changes()) {
      Change c = n.recorded(++seq, "laptop", Instant.EPOCH);
      if (n.previousPath() != null) {
        head.remove(n.previousPath());
      }
      if (n.op() == Change.Op.DELETE) {
        head.remove(n.path());
      } else {
        head.put(n.path(), new RemoteEntry(n.path(), n.hash(), n.size(), c.seq()));
      }
      recorded.add(c);
    }
    return plan.outcomes(recorded);
  }

  private static List<Mutation> deletes(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> (Mutation) delete("d" + i + ".md", hash("d" + i)))
        .toList();
  }

  private static Mutation.Put put(String path, ContentHash base, String content) {
    return new Mutation.Put(p(path), base, content.getBytes(StandardCharsets.UTF_8));
  }

  private static Mutation.Delete delete(String path, ContentHash expected) {
    return new Mutation.Delete(p(path), expected);
  }

  private static NotePath p(String s) {
    return NotePath.of(s);
  }

  private static ContentHash hash(String s) {
    return ContentHash.digestOf(s.getBytes(StandardCharsets.UTF_8));
  }
}
