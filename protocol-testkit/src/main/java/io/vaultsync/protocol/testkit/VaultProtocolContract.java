package io.vaultsync.protocol.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.ShareInfo;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.StaleVersionException;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.protocol.VaultTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every behaviour the vaultsync protocol promises, as one JUnit 5 suite that each implementation
 * runs: extend it, implement {@link #start} (a fresh, empty remote reached the way a client reaches
 * it) and the suite runs against that implementation. It runs against the in-memory reference
 * ({@link InProcessVaultTransport}, this module's tests) and the real server over loopback gRPC
 * (server-app's tests); a behaviour change in either fails it. See docs/ARCHITECTURE.md, "The
 * contract suite".
 *
 * <p>The tests speak only through {@link VaultTransport}, as a client does, and check what a second
 * client sees. Errors are the protocol's exceptions ({@code io.vaultsync.protocol}); where a Java
 * argument check answers (an {@link IllegalArgumentException} in process, INVALID_ARGUMENT over a
 * wire) the suite does not test it.
 *
 * <p>Longer than 400 lines on purpose: it is one list of promises, read top to bottom, in the order
 * of the protocol's documentation (commits, stale versions, retries, moves and deletes, mass
 * deletes, change pages, subscriptions, fetch, history, snapshots, share links, tree shapes).
 *
 * <p>Over 400 lines on purpose: it is the protocol's whole promise in one suite, so a new
 * implementation extends one class; each test is short and stands alone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class VaultProtocolContract {
  /** The vault every test works in (created before each test). */
  protected static final String VAULT = "notes";

  /** The device of most writes. */
  protected static final String LAPTOP = "laptop";

  /** A second device. */
  protected static final String PHONE = "phone";

  /** When the remote's clock starts. */
  protected static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

  /** A remote under test: fresh and empty when {@link #start} returns it. */
  public interface Backend extends AutoCloseable {
    /**
     * A connection as {@code device}: a remote that authenticates records this device for the
     * connection's writes (the suite passes the same name to each call). May be the same object for
     * every device when the remote takes the device from the call.
     */
    VaultTransport connect(String device) throws IOException;

    /** Closes every connection and the remote, and removes what it stored. */
    @Override
    void close() throws IOException;
  }

  /**
   * What a remote is started with.
   *
   * @param clock the remote's clock, for change times and the delete window ({@link
   *     #advance(Duration)} moves it)
   * @param deleteLimits the remote's mass-delete limits
   */
  public record Settings(Clock clock, DeleteLimits deleteLimits) {}

  /** Starts a fresh, empty remote with {@code settings}. */
  protected abstract Backend start(Settings settings) throws IOException;

  /**
   * Whether the remote keeps share links. One that does not refuses {@link
   * VaultTransport#createShare} with {@link InvalidRequestException}, as documented; the in-memory
   * reference serves no HTTP and keeps none.
   */
  protected boolean keepsShareLinks() {
    return true;
  }

  private final ManualClock clock = new ManualClock(T0);

  private Backend backend;

  /** The laptop's connection. */
  protected VaultTransport remote;

  /** The phone's connection (another client of the same remote). */
  protected VaultTransport phone;

  @BeforeEach
  void startRemote() throws IOException {
    backend = start(new Settings(clock, DeleteLimits.DEFAULTS));
    remote = backend.connect(LAPTOP);
    phone = backend.connect(PHONE);
    remote.createVault(VAULT);
  }

  @AfterEach
  void stopRemote() throws IOException {
    if (backend != null) {
      backend.close();
    }
  }

  /** Moves the remote's clock on. */
  protected void advance(Duration d) {
    clock.advance(d);
  }

  // ---- commit ordering ----

  @Test
  void everyWriteGetsTheNextSeqFromOneAndTheLedgerListsThemInOrder() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    List<Outcome> batch =
        remote.commit(VAULT, List.of(putNew("b.md", "beta"), putNew("c.md", "gamma")), LAPTOP);
    Change moved = phone.move(VAULT, path("a.md"), path("d/a.md"), a.hash(), PHONE);
    Change deleted = remote.delete(VAULT, path("b.md"), hash("beta"), LAPTOP);

    assertThat(a.seq()).isEqualTo(1);
    assertThat(batch).extracting(o -> applied(o).seq()).containsExactly(2L, 3L);
    assertThat(moved.seq()).isEqualTo(4);
    assertThat(deleted.seq()).isEqualTo(5);
    ChangePage page = phone.changesSince(VAULT, 0, 100);
    assertThat(page.changes()).extracting(Change::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(page.changes())
        .extracting(Change::op)
        .containsExactly(
            Change.Op.PUT, Change.Op.PUT, Change.Op.PUT, Change.Op.MOVE, Change.Op.DELETE);
    assertThat(page.changes()).extracting(Change::device).startsWith(LAPTOP, LAPTOP, LAPTOP, PHONE);
    assertThat(page.headSeq()).isEqualTo(5);
    assertThat(phone.manifest(VAULT).headSeq()).isEqualTo(5);
    assertThat(phone.manifest(VAULT).entries())
        .extracting(e -> e.path().value(), RemoteEntry::seq)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c.md", 3L),
            org.assertj.core.groups.Tuple.tuple("d/a.md", 4L));
    assertThat(phone.listVaults())
        .filteredOn(v -> v.name().equals(VAULT))
        .singleElement()
        .extracting(VaultInfo::headSeq, VaultInfo::files, VaultInfo::bytes)
        .containsExactly(5L, 2L, 10L);
    assertThat(phone.root(VAULT)).isEqualTo(VaultRoot.of(phone.manifest(VAULT)));
  }

  @Test
  void aBatchAppliesInOrderSkipsStaleOnesAndNumbersTheRestConsecutively() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    List<Outcome> out =
        remote.commit(
            VAULT,
            List.of(
                putNew("b.md", "beta"),
                putNew("a.md", "stale: a.md exists"),
                new Mutation.Move(path("b.md"), path("dir/b.md"), hash("beta")),
                new Mutation.Delete(path("a.md"), a.hash())),
            LAPTOP);

    assertThat(out).hasSize(4);
    assertThat(out.get(1)).isEqualTo(new Outcome.Stale(path("a.md"), a));
    assertThat(List.of(out.get(0), out.get(2), out.get(3)))
        .extracting(o -> applied(o).seq())
        .containsExactly(2L, 3L, 4L);
    assertThat(phone.manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("dir/b.md");
  }

  @Test
  void aBatchOfAsManyMutationsAsTheLimitAllowsIsAppliedWithConsecutiveSeqs() throws IOException {
    List<Mutation> batch = new java.util.ArrayList<>();
    for (int i = 0; i < io.vaultsync.protocol.Limits.COMMIT_MUTATIONS; i++) {
      batch.add(putNew("f" + (i % 20) + "/n" + i + ".md", "note " + i));
    }
    List<Outcome> out = remote.commit(VAULT, batch, LAPTOP);

    assertThat(out).hasSize(batch.size());
    for (int i = 0; i < out.size(); i++) {
      assertThat(applied(out.get(i)).seq()).isEqualTo(i + 1L);
    }
    assertThat(phone.manifest(VAULT).entries()).hasSize(batch.size());
  }

  @Test
  void aCorruptDeltaFailsTheWholeBatchAndNothingIsRecorded() throws IOException {
    byte[] bad = delta(new byte[0], text("will be corrupted\n"));
    bad[bad.length - 1] ^= 1; // the declared hash no longer matches
    List<Mutation> batch =
        List.of(putNew("ok.md", "fine"), new Mutation.Put(path("bad.md"), null, bad));

    assertThatThrownBy(() -> remote.commit(VAULT, batch, LAPTOP))
        .isInstanceOfAny(FormatException.class, InvalidRequestException.class);
    assertThatThrownBy(
            () -> remote.push(VAULT, path("bad.md"), null, new ByteArrayInputStream(bad), LAPTOP))
        .isInstanceOfAny(FormatException.class, InvalidRequestException.class);
    assertThat(phone.manifest(VAULT).entries()).isEmpty();
    assertThat(phone.changesSince(VAULT, 0, 10).headSeq()).isZero();
  }

  @Test
  void pushedContentComesBackByFetchAndAppearsInTheManifestAndTheLedger() throws IOException {
    byte[] v1 = text("# Today\n- buy milk\n");
    RemoteEntry e =
        remote.push(VAULT, path("Daily/today.md"), null, stream(delta(new byte[0], v1)), LAPTOP);

    assertThat(e)
        .isEqualTo(new RemoteEntry(path("Daily/today.md"), ContentHash.digestOf(v1), 19, 1));
    assertThat(fetch(phone, e.hash(), null, new byte[0])).isEqualTo(v1);
    assertThat(phone.manifest(VAULT).entries()).containsExactly(e);
    assertThat(phone.changesSince(VAULT, 0, 10).changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.op()).isEqualTo(Change.Op.PUT);
              assertThat(c.path()).isEqualTo(e.path());
              assertThat(c.hash()).isEqualTo(e.hash());
              assertThat(c.size()).isEqualTo(19);
              assertThat(c.device()).isEqualTo(LAPTOP);
              assertThat(c.time()).isEqualTo(T0);
              assertThat(c.confirmed()).isFalse();
            });
  }

  @Test
  void unknownVaultsAreNotFound() {
    assertThatThrownBy(() -> remote.manifest("nope"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> remote.changesSince("nope", 0, 10))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> remote.commit("nope", List.of(putNew("a.md", "a")), LAPTOP))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> remote.fetch("nope", hash("x"), null, OutputStream.nullOutputStream()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> remote.history("nope", null, Long.MAX_VALUE, 10))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> remote.manifestAt("nope", 1)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> remote.seqAt("nope", T0)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> remote.snapshot("nope", true)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> remote.listShares("nope")).isInstanceOf(NotFoundException.class);
  }

  /**
   * A vault name of no characters, of more than 255, or with a control character is refused (the
   * wire's rule, transport-grpc/README.md); a remote may refuse more (the vaultsync server's names
   * become folder names). Nothing is created.
   */
  @Test
  void aVaultNameOfNoCharactersOrWithAControlCharacterIsRefused() throws IOException {
    for (String bad : List.of("", "bell" + (char) 7, "x".repeat(256))) {
      assertThatThrownBy(() -> phone.createVault(bad))
          .as("vault name of %d chars", bad.length())
          .isInstanceOfAny(IllegalArgumentException.class, InvalidRequestException.class)
          .hasMessageContaining("vault name");
    }
    assertThat(phone.listVaults()).extracting(VaultInfo::name).containsExactly(VAULT);
  }

  @Test
  void listVaultsCountsFilesBytesTheHeadSeqAndTheLastChange() throws IOException {
    advance(Duration.ofMinutes(5));
    push("a.md", "twelve bytes");
    push("b.md", "three");
    RemoteEntry c = push("c.md", "c");
    remote.delete(VAULT, c.path(), c.hash(), LAPTOP);

    assertThat(phone.listVaults())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.name()).isEqualTo(VAULT);
              assertThat(v.files()).isEqualTo(2);
              assertThat(v.bytes()).isEqualTo(17);
              assertThat(v.headSeq()).isEqualTo(4);
              assertThat(v.lastChange()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
            });
  }

  @Test
  void anEmptyBatchChangesNothing() throws IOException {
    push("a.md", "alpha");
    assertThat(phone.commit(VAULT, List.of(), PHONE)).isEmpty();
    assertThat(phone.changesSince(VAULT, 0, 10).headSeq()).isEqualTo(1);
  }

  /** A remote takes content back only when it asked for it (a change page's wanted list). */
  @Test
  void contentGivenBackThatTheRemoteDoesNotWantIsDeclined() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    assertThat(phone.changesSince(VAULT, 0, 10).wanted()).isEmpty();
    assertThat(phone.giveBack(VAULT, a.hash(), stream(delta(new byte[0], text("alpha"))), PHONE))
        .isFalse();
    assertThat(
            phone.giveBack(
                VAULT, hash("never asked"), stream(delta(new byte[0], text("never asked"))), PHONE))
        .isFalse();
    assertThat(phone.changesSince(VAULT, 0, 10).headSeq()).isEqualTo(1);
  }

  /**
   * A subscription to an unknown vault is NOT_FOUND: thrown by {@code subscribe}, or, from a
   * transport that learns it only from the remote's answer (gRPC's server stream), told to the
   * listener's {@code onClosed}.
   */
  @Test
  void aSubscriptionToAnUnknownVaultIsNotFound() throws IOException {
    Recorder r = new Recorder(0);
    Subscription s;
    try {
      s = remote.subscribe("nope", 0, r);
    } catch (NotFoundException e) {
      assertThat(e).hasMessageContaining("nope");
      return;
    }
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> r.closed.get() != null);
      assertThat(r.closed.get()).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
      assertThat(r.seqs).isEmpty();
    } finally {
      s.close();
    }
  }

  @Test
  void creatingAVaultThatExistsFailsAndKeepsIt() throws IOException {
    push("a.md", "alpha");
    assertThatThrownBy(() -> phone.createVault(VAULT)).hasMessageContaining(VAULT);
    assertThat(phone.manifest(VAULT).entries()).hasSize(1);
    phone.createVault("other");
    assertThat(remote.listVaults()).extracting(VaultInfo::name).contains(VAULT, "other");
  }

  // ---- stale versions ----

  @Test
  void aPushAgainstAStaleBaseIsRefusedWithTheCurrentVersionAndChangesNothing() throws IOException {
    byte[] v1 = text("one\n");
    RemoteEntry e1 = remote.push(VAULT, path("n.md"), null, stream(delta(new byte[0], v1)), LAPTOP);
    RemoteEntry e2 =
        remote.push(VAULT, path("n.md"), e1.hash(), stream(delta(v1, text("two\n"))), LAPTOP);

    assertThatThrownBy(
            () ->
                phone.push(
                    VAULT, path("n.md"), e1.hash(), stream(delta(v1, text("three\n"))), PHONE))
        .isInstanceOfSatisfying(
            StaleVersionException.class, e -> assertThat(e.current()).isEqualTo(e2))
        .hasMessageContaining("n.md");
    assertThat(phone.changesSince(VAULT, 0, 10).headSeq()).isEqualTo(2);
    assertThat(phone.manifest(VAULT).entries()).containsExactly(e2);
  }

  @Test
  void creatingAFileThatExistsIsStale() throws IOException {
    RemoteEntry a = push("a.md", "a");
    assertThatThrownBy(
            () ->
                phone.push(VAULT, path("a.md"), null, stream(delta(new byte[0], text("b"))), PHONE))
        .isInstanceOfSatisfying(
            StaleVersionException.class, e -> assertThat(e.current()).isEqualTo(a));
    assertThat(phone.commit(VAULT, List.of(putNew("a.md", "b")), PHONE))
        .containsExactly(new Outcome.Stale(path("a.md"), a));
  }

  @Test
  void staleMutationsOfABatchNameWhatIsThereAndChangeNothing() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    RemoteEntry b = push("b.md", "beta");
    ContentHash wrong = hash("not the version");

    List<Outcome> out =
        phone.commit(
            VAULT,
            List.of(
                new Mutation.Put(path("a.md"), wrong, delta(text("x"), text("y"))),
                new Mutation.Delete(path("a.md"), wrong),
                new Mutation.Delete(path("gone.md"), wrong),
                new Mutation.Move(path("a.md"), path("c.md"), wrong),
                new Mutation.Move(path("a.md"), path("b.md"), a.hash()),
                new Mutation.Put(path("gone.md"), a.hash(), delta(text("alpha"), text("y")))),
            PHONE);

    assertThat(out)
        .containsExactly(
            new Outcome.Stale(path("a.md"), a),
            new Outcome.Stale(path("a.md"), a),
            new Outcome.Stale(path("gone.md"), null),
            new Outcome.Stale(path("a.md"), a),
            new Outcome.Stale(path("b.md"), b),
            new Outcome.Stale(path("gone.md"), null));
    assertThat(phone.changesSince(VAULT, 0, 10).headSeq()).isEqualTo(2);
    assertThat(phone.manifest(VAULT).entries()).containsExactly(a, b);
  }

  // ---- retried batches ----

  /**
   * A commit whose answer was lost is sent again as it was: every mutation names the version it
   * replaced, so the retry comes back stale with the version the first call made, and the ledger
   * holds each change once (docs/ARCHITECTURE.md, "What is safe to retry").
   */
  @Test
  void aBatchSentTwiceIsAppliedOnceAndTheRetryIsStaleWithWhatTheFirstMade() throws IOException {
    RemoteEntry b = push("b.md", "beta");
    RemoteEntry c = push("c.md", "gamma");
    List<Mutation> batch =
        List.of(
            putNew("a.md", "alpha"),
            new Mutation.Put(path("b.md"), b.hash(), delta(text("beta"), text("beta 2"))),
            new Mutation.Move(path("c.md"), path("d.md"), c.hash()));

    List<Outcome> first = remote.commit(VAULT, batch, LAPTOP);
    List<Outcome> retry = remote.commit(VAULT, batch, LAPTOP);

    assertThat(first).allMatch(o -> o instanceof Outcome.Applied);
    RemoteManifest head = phone.manifest(VAULT);
    assertThat(retry)
        .containsExactly(
            new Outcome.Stale(path("a.md"), entry(head, "a.md")),
            new Outcome.Stale(path("b.md"), entry(head, "b.md")),
            new Outcome.Stale(path("c.md"), null));
    assertThat(head.headSeq()).isEqualTo(5);
    assertThat(phone.changesSince(VAULT, 0, 100).changes()).hasSize(5);
  }

  // ---- moves and deletes ----

  @Test
  void moveAndDeleteAreLedgerEntriesWithoutContent() throws IOException {
    RemoteEntry e1 = push("Daily/today.md", "moving note\n");
    Change moved = remote.move(VAULT, e1.path(), path("Archive/today.md"), e1.hash(), LAPTOP);
    Change deleted = remote.delete(VAULT, path("Archive/today.md"), e1.hash(), LAPTOP);

    assertThat(moved.previousPath()).isEqualTo(e1.path());
    assertThat(moved.path()).isEqualTo(path("Archive/today.md"));
    assertThat(moved.hash()).isEqualTo(e1.hash());
    assertThat(moved.size()).isEqualTo(e1.size());
    assertThat(deleted.op()).isEqualTo(Change.Op.DELETE);
    assertThat(deleted.hash()).as("a delete carries what it removed").isEqualTo(e1.hash());
    assertThat(deleted.seq()).isEqualTo(3);
    assertThat(phone.changesSince(VAULT, 1, 10).changes()).containsExactly(moved, deleted);
    assertThat(phone.manifest(VAULT).entries()).isEmpty();
    assertThat(fetch(phone, e1.hash(), null, new byte[0]))
        .as("content stays retrievable after a delete")
        .isEqualTo(text("moving note\n"));
  }

  @Test
  void aMoveOntoAFileIsStaleAndAMoveIntoAFolderOfItsOwnOldNameIsApplied() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    RemoteEntry b = push("b.md", "beta");
    assertThatThrownBy(() -> remote.move(VAULT, a.path(), b.path(), a.hash(), LAPTOP))
        .isInstanceOf(StaleVersionException.class);
    RemoteEntry n = push("n", "a file named n");
    assertThat(remote.move(VAULT, n.path(), path("n/n.md"), n.hash(), LAPTOP).path())
        .isEqualTo(path("n/n.md"));
    assertThat(phone.manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("a.md", "b.md", "n/n.md");
  }

  // ---- mass deletes and the delete window ----

  /** {@code n} files n0.md, n1.md, ... in one commit; returns their deletes. */
  private List<Mutation> files(int n) throws IOException {
    List<Mutation> puts = new ArrayList<>();
    List<Mutation> deletes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      puts.add(putNew("n" + i + ".md", "note " + i));
      deletes.add(new Mutation.Delete(path("n" + i + ".md"), hash("note " + i)));
    }
    assertThat(remote.commit(VAULT, puts, LAPTOP)).allMatch(o -> o instanceof Outcome.Applied);
    return deletes;
  }

  @Test
  void aCommitDeletingMoreThanTheLimitsIsRefusedWholeAndChangesNothing() throws IOException {
    List<Mutation> deletes = files(40);
    List<Mutation> batch = new ArrayList<>(deletes.subList(0, 13)); // 32%
    batch.add(putNew("new.md", "new"));

    assertThatThrownBy(() -> phone.commit(VAULT, batch, PHONE))
        .isInstanceOf(MassDeleteRefusedException.class)
        .hasMessageContaining("13 of 40 files (32%)")
        .hasMessageContaining("more than 30% of the vault's files (from 10 deletes on)");
    assertThat(phone.changesSince(VAULT, 0, 1).headSeq()).isEqualTo(40);
    assertThat(phone.manifest(VAULT).entries()).hasSize(40);
  }

  @Test
  void theSameCommitIsAppliedAndRecordedAsConfirmedWhenMassDeletesAreAllowed() throws IOException {
    List<Mutation> deletes = files(40);
    List<Outcome> out =
        phone.commit(VAULT, deletes.subList(0, 13), PHONE, CommitOptions.ALLOW_MASS_DELETE);

    assertThat(out).hasSize(13).allMatch(o -> o instanceof Outcome.Applied);
    assertThat(remote.manifest(VAULT).entries()).hasSize(27);
    assertThat(remote.changesSince(VAULT, 40, 100).changes())
        .hasSize(13)
        .allMatch(Change::confirmed);
  }

  @Test
  void deletesWithinTheLimitsPassAndAreNotConfirmed() throws IOException {
    List<Mutation> deletes = files(40);
    remote.commit(VAULT, deletes.subList(0, 12), LAPTOP); // 30%
    phone.commit(VAULT, deletes.subList(12, 21), PHONE); // 9: below the floor
    assertThat(remote.manifest(VAULT).entries()).hasSize(19);
    assertThat(remote.changesSince(VAULT, 40, 100).changes())
        .hasSize(21)
        .noneMatch(Change::confirmed);
  }

  /**
   * A mass delete cut into small commits is caught: one device's deletes committed without the
   * permission within a minute count together (against the files before them); another device, or
   * the same one a minute later, starts afresh.
   */
  @Test
  void oneDevicesDeletesWithinTheDeleteWindowCountTogether() throws IOException {
    List<Mutation> deletes = files(40);
    phone.commit(VAULT, deletes.subList(0, 6), PHONE);
    advance(Duration.ofSeconds(30));
    assertThatThrownBy(() -> phone.commit(VAULT, deletes.subList(6, 13), PHONE))
        .isInstanceOf(MassDeleteRefusedException.class)
        .hasMessageContaining("13 of 40 files (32%)");
    remote.commit(VAULT, deletes.subList(6, 12), LAPTOP); // another device
    advance(Duration.ofSeconds(31)); // the phone's first commit left the window
    assertThat(phone.commit(VAULT, deletes.subList(12, 19), PHONE))
        .allMatch(o -> o instanceof Outcome.Applied);
    assertThat(remote.manifest(VAULT).entries()).hasSize(40 - 19);
  }

  // ---- changes since N ----

  @Test
  void changesArePagedInSeqOrderAtMostTheLimitAPage() throws IOException {
    byte[] prev = new byte[0];
    ContentHash base = null;
    for (int i = 0; i < 7; i++) {
      byte[] next = text("version " + i + "\n");
      base = remote.push(VAULT, path("n.md"), base, stream(delta(prev, next)), LAPTOP).hash();
      prev = next;
    }

    ChangePage first = phone.changesSince(VAULT, 0, 3);
    assertThat(first.changes()).extracting(Change::seq).containsExactly(1L, 2L, 3L);
    assertThat(first.headSeq()).isEqualTo(7);
    assertThat(first.hasMore()).isTrue();
    assertThat(phone.changesSince(VAULT, 3, 3).changes())
        .extracting(Change::seq)
        .containsExactly(4L, 5L, 6L);
    ChangePage last = phone.changesSince(VAULT, 6, 3);
    assertThat(last.changes()).extracting(Change::seq).containsExactly(7L);
    assertThat(last.hasMore()).isFalse();
    ChangePage none = phone.changesSince(VAULT, 7, 3);
    assertThat(none.changes()).isEmpty();
    assertThat(none.headSeq()).isEqualTo(7);
    assertThat(none.horizonSeq()).isZero();
    assertThat(none.wanted()).isEmpty();
  }

  // ---- subscribe from N ----

  @Test
  void aSubscriptionFromNGetsTheBacklogThenEachNewChangeOnceInOrder() throws IOException {
    for (int i = 0; i < 5; i++) {
      push("n" + i + ".md", "note " + i);
    }
    Recorder r = new Recorder(2);
    try (Subscription s = phone.subscribe(VAULT, 2, r)) {
      for (int i = 5; i < 10; i++) {
        push("n" + i + ".md", "note " + i);
      }
      remote.commit(VAULT, List.of(putNew("a.md", "a"), putNew("b.md", "b")), LAPTOP);
      await().atMost(Duration.ofSeconds(30)).until(() -> r.last() == 12);
      assertThat(r.error.get()).isNull();
      assertThat(r.seqs).containsExactlyElementsOf(seqs(3, 12));
      assertThat(r.changes.get(r.changes.size() - 1).path()).isEqualTo(path("b.md"));
    }
  }

  /**
   * Changes committed while clients subscribe (from several points, some before the commits start,
   * some during them) reach each subscription exactly once, in order, with no gap.
   */
  @Test
  void changesCommittedWhileSubscribingArriveWithNoGapAndNoDuplicate() throws Exception {
    int total = 60;
    List<Recorder> recorders = new CopyOnWriteArrayList<>();
    List<Subscription> subs = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> writerFailed = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < total; i++) {
                  remote.commit(VAULT, List.of(putNew("w" + i + ".md", "w" + i)), LAPTOP);
                }
              } catch (Throwable t) {
                writerFailed.set(t);
              }
            },
            "contract-writer");
    try {
      recorders.add(new Recorder(0));
      subs.add(phone.subscribe(VAULT, 0, recorders.get(0)));
      writer.start();
      for (int i = 0; i < 6; i++) {
        long from = phone.changesSince(VAULT, 0, 1).headSeq();
        Recorder r = new Recorder(from);
        recorders.add(r);
        subs.add(phone.subscribe(VAULT, from, r));
      }
      writer.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(writerFailed.get()).isNull();
      for (Recorder r : recorders) {
        await().atMost(Duration.ofSeconds(30)).until(() -> r.last() == total);
        assertThat(r.error.get()).isNull();
        assertThat(r.seqs).containsExactlyElementsOf(seqs(r.after + 1, total));
      }
    } finally {
      for (Subscription s : subs) {
        s.close();
      }
    }
  }

  // ---- fetch by base ----

  @Test
  void aFetchAgainstABaseIsADeltaThatMakesTheTargetFromIt() throws IOException {
    byte[] v1 = text("# Today\n" + "line of a note\n".repeat(400));
    byte[] v2 =
        text(
            "# Today\n"
                + "line of a note\n".repeat(200)
                + "NEW\n"
                + "line of a note\n".repeat(200));
    RemoteEntry e1 = remote.push(VAULT, path("n.md"), null, stream(delta(new byte[0], v1)), LAPTOP);
    byte[] up = delta(v1, v2);
    assertThat(up.length).isLessThan(v2.length / 4);
    RemoteEntry e2 = remote.push(VAULT, path("n.md"), e1.hash(), stream(up), LAPTOP);

    ByteArrayOutputStream down = new ByteArrayOutputStream();
    phone.fetch(VAULT, e2.hash(), e1.hash(), down);
    assertThat(down.size()).isLessThan(v2.length / 4);
    assertThat(patch(v1, down.toByteArray())).isEqualTo(v2);
    assertThat(fetch(phone, e1.hash(), null, new byte[0])).as("an old version").isEqualTo(v1);
  }

  @Test
  void aFetchOfContentNeverStoredIsNotFound() throws IOException {
    push("a.md", "alpha");
    ContentHash unknown = hash("never stored");
    assertThatThrownBy(() -> phone.fetch(VAULT, unknown, null, OutputStream.nullOutputStream()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(unknown.hex());
  }

  /**
   * A base the remote does not store costs only bytes: the answer is a delta that copies nothing
   * from it (all literal), which makes the target from whatever basis the client applies it to. The
   * real server answers so for a base it lost (issue 12: a device's edit of a lost version is not
   * stuck), and cannot tell a lost base from one it never had without reading its history.
   */
  @Test
  void aFetchAgainstABaseTheRemoteLacksIsADeltaThatCopiesNothing() throws IOException {
    RemoteEntry a = push("a.md", "alpha, long enough to be worth a copy of a block or two");
    byte[] basis = text("a basis the remote never stored");
    ByteArrayOutputStream down = new ByteArrayOutputStream();
    phone.fetch(VAULT, a.hash(), ContentHash.digestOf(basis), down);
    assertThat(patch(new byte[0], down.toByteArray()))
        .isEqualTo(text("alpha, long enough to be worth a copy of a block or two"));
    assertThat(patch(basis, down.toByteArray()))
        .isEqualTo(text("alpha, long enough to be worth a copy of a block or two"));
  }

  @Test
  void fetchManyAnswersEachItemInOrderAndReportsAnUnknownTargetForItsItemOnly() throws IOException {
    byte[] b1 = text("# B\nfirst line of b\n");
    byte[] b2 = text("# B\nfirst line of b\nsecond line\n");
    RemoteEntry a = push("a.md", "# A\n");
    RemoteEntry eb1 =
        remote.push(VAULT, path("b.md"), null, stream(delta(new byte[0], b1)), LAPTOP);
    RemoteEntry eb2 = remote.push(VAULT, path("b.md"), eb1.hash(), stream(delta(b1, b2)), LAPTOP);
    ContentHash unknown = hash("never stored");
    Received r = new Received();

    phone.fetchMany(
        VAULT,
        List.of(
            new FetchItem(a.hash(), null),
            new FetchItem(unknown, null),
            new FetchItem(eb2.hash(), eb1.hash())),
        r);

    assertThat(r.calls).containsExactly("begin 0", "end 0", "notFound 1", "begin 2", "end 2");
    assertThat(patch(new byte[0], r.deltas.get(0).toByteArray())).isEqualTo(text("# A\n"));
    assertThat(patch(b1, r.deltas.get(2).toByteArray())).isEqualTo(b2);
    assertThat(r.notFound.get(1)).contains(unknown.hex());
  }

  @Test
  void aFetchOfMoreItemsThanTheLimitIsRefusedBeforeAnyItem() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    Received r = new Received();
    List<FetchItem> tooMany =
        java.util.Collections.nCopies(
            io.vaultsync.protocol.Limits.FETCH_ITEMS + 1, new FetchItem(a.hash(), null));
    assertThatThrownBy(() -> phone.fetchMany(VAULT, tooMany, r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1001");
    assertThatThrownBy(() -> phone.fetchMany("nope", List.of(new FetchItem(a.hash(), null)), r))
        .isInstanceOf(NotFoundException.class);
    assertThat(r.calls).isEmpty();
  }

  // ---- history and restore ----

  @Test
  void theHistoryOfAPathListsItsVersionsNewestFirstWithDeletesAndTheMoveAway() throws IOException {
    RemoteEntry v1 = push("n.md", "one");
    RemoteEntry v2 =
        remote.push(
            VAULT, path("n.md"), v1.hash(), stream(delta(text("one"), text("two"))), LAPTOP);
    push("other.md", "other");
    Change moved = remote.move(VAULT, path("n.md"), path("m.md"), v2.hash(), LAPTOP);
    RemoteEntry v3 = push("n.md", "three");
    Change deleted = remote.delete(VAULT, path("n.md"), v3.hash(), LAPTOP);

    List<Change> history = phone.history(VAULT, path("n.md"), Long.MAX_VALUE, 100);
    assertThat(history)
        .extracting(Change::seq, Change::op)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(6L, Change.Op.DELETE),
            org.assertj.core.groups.Tuple.tuple(5L, Change.Op.PUT),
            org.assertj.core.groups.Tuple.tuple(4L, Change.Op.MOVE),
            org.assertj.core.groups.Tuple.tuple(2L, Change.Op.PUT),
            org.assertj.core.groups.Tuple.tuple(1L, Change.Op.PUT));
    assertThat(history.get(0)).isEqualTo(deleted);
    assertThat(history.get(2)).isEqualTo(moved);
    assertThat(phone.history(VAULT, path("n.md"), 5, 2))
        .extracting(Change::seq)
        .containsExactly(4L, 2L);
    assertThat(phone.history(VAULT, null, Long.MAX_VALUE, 3))
        .extracting(Change::seq)
        .containsExactly(6L, 5L, 4L);
    assertThat(phone.history(VAULT, path("never.md"), Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void theVaultAtASeqIsWhatItWasRightAfterIt() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    RemoteEntry b = push("b.md", "beta");
    remote.move(VAULT, a.path(), path("c.md"), a.hash(), LAPTOP);
    remote.delete(VAULT, b.path(), b.hash(), LAPTOP);

    assertThat(phone.manifestAt(VAULT, 0)).isEqualTo(new RemoteManifest(0, List.of()));
    assertThat(phone.manifestAt(VAULT, 2)).isEqualTo(new RemoteManifest(2, List.of(a, b)));
    assertThat(phone.manifestAt(VAULT, 3))
        .isEqualTo(
            new RemoteManifest(3, List.of(b, new RemoteEntry(path("c.md"), a.hash(), 5, 3))));
    assertThat(phone.manifestAt(VAULT, 99)).isEqualTo(phone.manifest(VAULT));
    assertThat(phone.manifestAt(VAULT, 99).headSeq()).isEqualTo(4);
  }

  @Test
  void theSeqAtATimeIsTheLastOneRecordedAtOrBeforeIt() throws IOException {
    push("a.md", "alpha");
    advance(Duration.ofMinutes(10));
    push("b.md", "beta");
    push("c.md", "gamma");

    assertThat(phone.seqAt(VAULT, T0.minusSeconds(1))).isZero();
    assertThat(phone.seqAt(VAULT, T0)).isEqualTo(1);
    assertThat(phone.seqAt(VAULT, T0.plus(Duration.ofMinutes(5)))).isEqualTo(1);
    assertThat(phone.seqAt(VAULT, T0.plus(Duration.ofMinutes(10)))).isEqualTo(3);
    assertThat(phone.seqAt(VAULT, T0.plus(Duration.ofDays(1)))).isEqualTo(3);
  }

  /**
   * A restore is an ordinary write of an old version's content: found by history, fetched by hash,
   * pushed against the current version (or as a new file when it was deleted).
   */
  @Test
  void anOldVersionAndADeletedFileCanBeRestoredFromTheHistory() throws IOException {
    RemoteEntry v1 = push("n.md", "first words");
    remote.push(
        VAULT,
        path("n.md"),
        v1.hash(),
        stream(delta(text("first words"), text("new words"))),
        LAPTOP);
    RemoteEntry gone = push("gone.md", "deleted words");
    remote.delete(VAULT, gone.path(), gone.hash(), LAPTOP);

    Change old = phone.history(VAULT, path("n.md"), Long.MAX_VALUE, 10).get(1);
    byte[] oldBytes = fetch(phone, old.hash(), null, new byte[0]);
    RemoteEntry restored =
        phone.push(
            VAULT,
            path("n.md"),
            phone.manifest(VAULT).entries().get(0).hash(),
            stream(delta(text("new words"), oldBytes)),
            PHONE);
    Change deleted = phone.history(VAULT, path("gone.md"), Long.MAX_VALUE, 1).get(0);
    RemoteEntry back =
        phone.push(
            VAULT,
            path("gone.md"),
            null,
            stream(delta(new byte[0], fetch(phone, deleted.hash(), null, new byte[0]))),
            PHONE);

    assertThat(restored.hash()).isEqualTo(v1.hash());
    assertThat(back.hash()).isEqualTo(gone.hash());
    assertThat(remote.manifest(VAULT).entries()).containsExactly(back, restored);
  }

  // ---- snapshots ----

  @Test
  void aSnapshotKeepsTheVaultAtItsSeq() throws IOException {
    assertThatThrownBy(() -> remote.snapshot(VAULT, false)).isInstanceOf(NotFoundException.class);
    RemoteEntry a = push("a.md", "a");
    RemoteEntry b = push("b.md", "b");
    SnapshotInfo snap = remote.snapshot(VAULT, true);
    assertThat(snap.asRoot()).isEqualTo(VaultRoot.of(new RemoteManifest(2, List.of(a, b))));
    assertThat(remote.snapshot(VAULT, true).seq()).as("already at the head").isEqualTo(2);

    remote.delete(VAULT, a.path(), a.hash(), LAPTOP);
    assertThat(phone.snapshotManifest(VAULT, 2)).isEqualTo(new RemoteManifest(2, List.of(a, b)));
    assertThat(phone.snapshot(VAULT, false).seq()).isEqualTo(2);
    assertThatThrownBy(() -> phone.snapshotManifest(VAULT, 1))
        .isInstanceOf(NotFoundException.class);
    assertThat(phone.snapshot(VAULT, true).seq()).isEqualTo(3);
  }

  // ---- share links ----

  @Test
  void shareLinksAreCreatedListedAndRevoked() throws IOException {
    push("Public/a.md", "shared");
    if (!keepsShareLinks()) {
      assertThatThrownBy(() -> remote.createShare(VAULT, path("Public"), null, null, LAPTOP))
          .isInstanceOf(InvalidRequestException.class);
      assertThat(remote.listShares(VAULT)).isEmpty();
      assertThatThrownBy(() -> remote.revokeShare(VAULT, "0123456789ab"))
          .isInstanceOf(NotFoundException.class);
      return;
    }
    Instant expires = T0.plus(Duration.ofDays(7));
    CreatedShare folder =
        remote.createShare(VAULT, path("Public"), expires, "pw".toCharArray(), LAPTOP);
    advance(Duration.ofSeconds(1));
    CreatedShare file = remote.createShare(VAULT, path("Public/a.md"), null, null, LAPTOP);

    assertThat(folder.info().folder()).isTrue();
    assertThat(folder.info().passwordProtected()).isTrue();
    assertThat(folder.info().expires()).isEqualTo(expires);
    assertThat(file.info().folder()).isFalse();
    assertThat(file.url()).isNotEqualTo(folder.url());
    assertThat(phone.listShares(VAULT))
        .extracting(ShareInfo::id)
        .containsExactly(file.info().id(), folder.info().id());

    phone.revokeShare(VAULT, folder.info().id());
    assertThat(remote.listShares(VAULT))
        .extracting(ShareInfo::id, ShareInfo::revoked)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(file.info().id(), false),
            org.assertj.core.groups.Tuple.tuple(folder.info().id(), true));
    assertThatThrownBy(() -> remote.createShare(VAULT, path("nothing.md"), null, null, LAPTOP))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> remote.revokeShare(VAULT, "0123456789ab"))
        .isInstanceOf(NotFoundException.class);
  }

  // ---- trees no client can hold ----

  @Test
  void aCommitRefusesTreesNoClientCanHoldPerItemAndAppliesTheRest() throws IOException {
    remote.commit(VAULT, List.of(putNew("dir1", "a file"), putNew("notes/a.md", "a")), LAPTOP);

    List<Outcome> outcomes =
        phone.commit(
            VAULT,
            List.of(
                putNew("dir1/child.md", "below a file"),
                putNew("notes", "where a folder is"),
                putNew(".vaultsync/token", "secret"),
                putNew(".vstmp-x", "temp"),
                putNew("ok.md", "fine"),
                new Mutation.Move(path("ok.md"), path("dir1/moved.md"), hash("fine"))),
            PHONE);

    assertThat(outcomes).hasSize(6);
    assertThat(refusal(outcomes.get(0), "dir1/child.md")).contains("\"dir1\" is a file");
    assertThat(refusal(outcomes.get(1), "notes")).contains("\"notes\" is a folder");
    assertThat(refusal(outcomes.get(2), ".vaultsync/token")).contains(".vaultsync");
    assertThat(refusal(outcomes.get(3), ".vstmp-x")).contains(".vstmp-");
    assertThat(outcomes.get(4)).isInstanceOf(Outcome.Applied.class);
    assertThat(refusal(outcomes.get(5), "dir1/moved.md")).contains("\"dir1\" is a file");
    assertThat(remote.manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("dir1", "notes/a.md", "ok.md");
    assertThat(remote.changesSince(VAULT, 0, 100).headSeq()).isEqualTo(3);
  }

  @Test
  void aFileAndAFolderOfTheSameNameRaceAndTheSecondIsRefusedEitherWay() throws IOException {
    remote.commit(VAULT, List.of(putNew("notes", "file first")), LAPTOP);
    assertThat(phone.commit(VAULT, List.of(putNew("notes/a.md", "x")), PHONE).get(0))
        .isInstanceOf(Outcome.Refused.class);
    assertThatThrownBy(
            () ->
                phone.push(
                    VAULT, path("notes/b.md"), null, stream(delta(new byte[0], text("y"))), PHONE))
        .isInstanceOfSatisfying(
            PathRefusedException.class,
            e -> {
              assertThat(e.path()).isEqualTo("notes/b.md");
              assertThat(e.reason()).contains("\"notes\" is a file");
            });
    // Replacing the file by a folder in one batch (delete, then put below it) is fine.
    assertThat(
            remote.commit(
                VAULT,
                List.of(
                    new Mutation.Delete(path("notes"), hash("file first")),
                    putNew("notes/a.md", "x")),
                LAPTOP))
        .allMatch(o -> o instanceof Outcome.Applied);
    assertThat(phone.manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("notes/a.md");
  }

  // ---- helpers ----

  /** Records what a subscription delivered; notes any seq out of order or repeated. */
  protected static final class Recorder implements ChangeListener {
    final long after;
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final List<Change> changes = new CopyOnWriteArrayList<>();
    final AtomicReference<String> error = new AtomicReference<>();
    final AtomicReference<IOException> closed = new AtomicReference<>();

    Recorder(long after) {
      this.after = after;
    }

    long last() {
      return seqs.isEmpty() ? after : seqs.get(seqs.size() - 1);
    }

    @Override
    public void onChanges(List<Change> delivered, long headSeq) {
      for (Change c : delivered) {
        if (c.seq() != last() + 1) {
          error.compareAndSet(null, "got seq " + c.seq() + " after " + last());
        }
        seqs.add(c.seq());
        changes.add(c);
      }
      if (headSeq < last()) {
        error.compareAndSet(null, "head seq " + headSeq + " below delivered " + last());
      }
    }

    @Override
    public void onClosed(IOException cause) {
      closed.compareAndSet(null, cause);
      error.compareAndSet(null, "closed: " + cause);
    }
  }

  /** Records a {@link VaultTransport#fetchMany}'s calls. */
  private static final class Received implements FetchReceiver {
    final List<String> calls = new ArrayList<>();
    final Map<Integer, ByteArrayOutputStream> deltas = new HashMap<>();
    final Map<Integer, String> notFound = new HashMap<>();

    @Override
    public OutputStream begin(int index) {
      calls.add("begin " + index);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      deltas.put(index, out);
      return out;
    }

    @Override
    public void end(int index) {
      calls.add("end " + index);
    }

    @Override
    public void notFound(int index, String message) {
      calls.add("notFound " + index);
      notFound.put(index, message);
    }
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static String refusal(Outcome o, String path) {
    assertThat(o).isInstanceOf(Outcome.Refused.class);
    Outcome.Refused r = (Outcome.Refused) o;
    assertThat(r.path()).isEqualTo(path(path));
    return r.reason();
  }

  private static Change applied(Outcome o) {
    assertThat(o).isInstanceOf(Outcome.Applied.class);
    return ((Outcome.Applied) o).change();
  }

  private static RemoteEntry entry(RemoteManifest m, String path) {
    return m.entries().stream()
        .filter(e -> e.path().value().equals(path))
        .findFirst()
        .orElseThrow();
  }

  /** Pushes a new file {@code path} with {@code content} as the laptop. */
  protected RemoteEntry push(String path, String content) throws IOException {
    return remote.push(VAULT, path(path), null, stream(delta(new byte[0], text(content))), LAPTOP);
  }

  /** The bytes of {@code target}, fetched by {@code via} as a delta against {@code base}. */
  protected static byte[] fetch(
      VaultTransport via, ContentHash target, ContentHash base, byte[] basis) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    via.fetch(VAULT, target, base, out);
    return patch(basis, out.toByteArray());
  }

  protected static Mutation.Put putNew(String path, String content) {
    try {
      return new Mutation.Put(path(path), null, delta(new byte[0], text(content)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  protected static NotePath path(String p) {
    return NotePath.of(p);
  }

  protected static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static ContentHash hash(String content) {
    return ContentHash.digestOf(text(content));
  }

  protected static ByteArrayInputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  /** A delta from {@code basis} to {@code target}, as a client that kept the basis computes it. */
  protected static byte[] delta(byte[] basis, byte[] target) throws IOException {
    Signature sig = SignatureBuilder.of(basis, SignatureParams.forBasisLength(basis.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaEncoder e = new DeltaEncoder(sig, new DeltaWriter(out));
    e.update(target, 0, target.length);
    e.finish();
    return out.toByteArray();
  }

  /** Applies {@code delta} to {@code basis}, checking the whole-file hash. */
  protected static byte[] patch(byte[] basis, byte[] delta) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaReader.read(new ByteArrayInputStream(delta), new Patcher(Basis.of(basis), out));
    return out.toByteArray();
  }
}
