package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.StaleVersionException;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.transport.grpc.v1.CommitRequest;
import io.vaultsync.transport.grpc.v1.ListVaultsRequest;
import io.vaultsync.transport.grpc.v1.Put;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of the gRPC transport, run over an in-process server and a real Netty server on
 * 127.0.0.1 port 0 by the subclasses. The backend is an {@link InProcessVaultTransport} (wrapped in
 * {@link ObservedBackend}); every test checks what the client sees and what the backend holds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class GrpcTransportContract {
  static final String TOKEN = "token-of-laptop-0123456789";
  static final String DEVICE = "laptop";
  static final String VAULT = "notes";
  static final TokenAuthenticator AUTH =
      token -> TOKEN.equals(token) ? Optional.of(DEVICE) : Optional.empty();

  ObservedBackend backend;
  ExecutorService workers;
  final List<ManagedChannel> channels = new ArrayList<>();
  GrpcVaultTransport client;

  /** The running server. */
  Server server;

  /** Starts a server with {@code service} on a fresh address. */
  abstract Server startServer(ServerServiceDefinition service) throws IOException;

  /** A new plaintext channel to the server, with the client's usual message limit. */
  abstract ManagedChannel newChannel();

  /** Stops the server now. */
  void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  /** Whether the transport enforces maximum message sizes (the in-process one does not). */
  abstract boolean enforcesMessageSizes();

  /**
   * Whether compressed calls are compressed on the way (the in-process transport passes messages as
   * objects: nothing is compressed, and wire statistics count serialized sizes).
   */
  boolean compresses() {
    return true;
  }

  @BeforeEach
  void start() throws IOException {
    backend = new ObservedBackend();
    workers = Executors.newFixedThreadPool(4);
    server = startServer(VaultSyncServices.definition(backend, AUTH, workers));
    client = client(TOKEN);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    stopServer();
    workers.shutdownNow();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  GrpcVaultTransport client(String token) {
    return GrpcVaultTransport.over(channel(), token, GrpcClientOptions.DEFAULTS);
  }

  ManagedChannel channel() {
    ManagedChannel c = newChannel();
    channels.add(c);
    return c;
  }

  /**
   * Commits a put of "x" at {@code path} as a raw message (what a client could send, checked by
   * nothing on the client side); the status it failed with.
   */
  StatusRuntimeException rawPutRefused(String path) {
    CommitRequest request =
        CommitRequest.newBuilder()
            .setVault(VAULT)
            .addMutations(
                io.vaultsync.transport.grpc.v1.Mutation.newBuilder()
                    .setPut(
                        Put.newBuilder()
                            .setPath(path)
                            .setDelta(ByteString.copyFrom(TestDeltas.delta("x".getBytes())))))
            .build();
    return (StatusRuntimeException)
        org.assertj.core.api.Assertions.catchThrowable(() -> rawStub().commit(request));
  }

  VaultSyncGrpc.VaultSyncBlockingStub rawStub() {
    return VaultSyncGrpc.newBlockingStub(channel())
        .withCallCredentials(new BearerTokenCredentials(TOKEN))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  static NotePath path(String p) {
    return NotePath.of(p);
  }

  RemoteEntry pushNew(String p, String content) throws IOException {
    return pushNew(p, content.getBytes(StandardCharsets.UTF_8));
  }

  RemoteEntry pushNew(String p, byte[] content) throws IOException {
    return client.push(
        VAULT, path(p), null, new ByteArrayInputStream(TestDeltas.delta(content)), DEVICE);
  }

  byte[] fetch(ContentHash target, byte[] basis, ContentHash base) throws IOException {
    ByteArrayOutputStream delta = new ByteArrayOutputStream();
    client.fetch(VAULT, target, base, delta);
    return TestDeltas.patch(basis, delta.toByteArray());
  }

  private List<Mutation> putAndDeleteAll(int n) throws IOException {
    List<Mutation> puts = new ArrayList<>();
    List<Mutation> deletes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] content = ("note " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      puts.add(new Mutation.Put(path("n" + i + ".md"), null, TestDeltas.delta(content)));
      deletes.add(new Mutation.Delete(path("n" + i + ".md"), ContentHash.digestOf(content)));
    }
    client.commit(VAULT, puts, DEVICE);
    return deletes;
  }

  /** A mass delete is refused whole with the counts and limits; nothing is deleted. */
  @Test
  void commitOfAMassDeleteIsRefusedWithCountsAndChangesNothing() throws IOException {
    client.createVault(VAULT);
    List<Mutation> deletes = putAndDeleteAll(20);

    assertThatThrownBy(() -> client.commit(VAULT, deletes.subList(0, 12), DEVICE))
        .isInstanceOfSatisfying(
            io.vaultsync.protocol.MassDeleteRefusedException.class,
            e -> {
              assertThat(e.deletes()).isEqualTo(12);
              assertThat(e.files()).isEqualTo(20);
              assertThat(e.limits()).isEqualTo(io.vaultsync.protocol.DeleteLimits.DEFAULTS);
            })
        .hasMessageContaining("--allow-mass-delete");
    assertThat(backend.store.manifest(VAULT).entries()).hasSize(20);
  }

  /**
   * With mass deletes allowed, a batch that the client cuts into several Commit calls (600 deletes,
   * at most 500 per call) carries the permission on every call: all of it is applied.
   */
  @Test
  void allowedMassDeleteTravelsWithEveryCallOfASplitBatch() throws IOException {
    client.createVault(VAULT);
    List<Mutation> deletes = putAndDeleteAll(600);

    List<Outcome> out =
        client.commit(
            VAULT, deletes, DEVICE, io.vaultsync.protocol.CommitOptions.ALLOW_MASS_DELETE);

    assertThat(out).hasSize(600).allMatch(o -> o instanceof Outcome.Applied);
    assertThat(backend.store.manifest(VAULT).entries()).isEmpty();
    // The deletes travel back as confirmed, so other devices' guards do not ask again.
    assertThat(client.changesSince(VAULT, 600, 1000).changes())
        .hasSize(600)
        .allMatch(io.vaultsync.protocol.Change::confirmed);
  }

  /**
   * A batch of 60 moves (paths and hashes, no content) travels gzip-compressed and counts its
   * compressed size: fewer bytes than its paths and hashes take uncompressed.
   */
  @Test
  void batchOfMovesTravelsCompressedAndIsCountedSo() throws IOException {
    client.createVault(VAULT);
    List<Mutation> puts = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      byte[] content = ("note " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      puts.add(
          new Mutation.Put(
              path("Projects/Garden/some long note name " + i + ".md"),
              null,
              TestDeltas.delta(content)));
    }
    List<Mutation> moves = new java.util.ArrayList<>();
    long raw = 0;
    for (Outcome o : client.commit(VAULT, puts, DEVICE)) {
      var c = ((Outcome.Applied) o).change();
      NotePath to = path("Archive/2026/" + c.path().value());
      moves.add(new Mutation.Move(c.path(), to, c.hash()));
      raw += c.path().value().length() + to.value().length() + 32;
    }
    long before = client.wireStats().bytesSent();
    assertThat(client.commit(VAULT, moves, DEVICE)).allMatch(o -> o instanceof Outcome.Applied);
    long sent = client.wireStats().bytesSent() - before;
    if (compresses()) {
      assertThat(sent).isLessThan(raw);
    }
    assertThat(backend.store.manifest(VAULT).entries())
        .allMatch(e -> e.path().value().startsWith("Archive/2026/"));
  }

  /** Collects what a subscription delivers. */
  static final class FeedRecorder implements ChangeListener {
    final java.util.concurrent.BlockingQueue<Change> changes =
        new java.util.concurrent.LinkedBlockingQueue<>();
    final java.util.concurrent.BlockingQueue<IOException> closed =
        new java.util.concurrent.LinkedBlockingQueue<>();

    @Override
    public void onChanges(List<Change> batch, long headSeq) {
      changes.addAll(batch);
    }

    @Override
    public void onClosed(IOException cause) {
      closed.add(cause);
    }

    List<Long> take(int n) throws InterruptedException {
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Change c = changes.poll(10, TimeUnit.SECONDS);
        assertThat(c).as("change %d of %d within 10 s", i + 1, n).isNotNull();
        seqs.add(c.seq());
      }
      return seqs;
    }
  }

  @Test
  void subscriptionDeliversBacklogThenEachNewChangeOnceInOrder() throws Exception {
    client.createVault(VAULT);
    for (int i = 1; i <= 5; i++) {
      pushNew("n" + i + ".md", ("note " + i).getBytes());
    }
    FeedRecorder feed = new FeedRecorder();
    try (var subscription = client.subscribe(VAULT, 2, feed)) {
      assertThat(feed.take(3)).containsExactly(3L, 4L, 5L);
      pushNew("n6.md", "note 6".getBytes());
      client.delete(
          VAULT, path("n1.md"), backend.store.manifest(VAULT).entries().get(0).hash(), DEVICE);
      assertThat(feed.take(2)).containsExactly(6L, 7L);
      assertThat(feed.changes.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
    assertThat(feed.closed).isEmpty();
  }

  @Test
  void closingASubscriptionEndsItOnTheServer() throws Exception {
    client.createVault(VAULT);
    FeedRecorder feed = new FeedRecorder();
    var subscription = client.subscribe(VAULT, 0, feed);
    pushNew("a.md", "a".getBytes());
    assertThat(feed.take(1)).containsExactly(1L);
    assertThat(backend.store.subscribers(VAULT)).isEqualTo(1);
    subscription.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.store.subscribers(VAULT) == 0);
    assertThat(feed.closed).isEmpty();
  }

  @Test
  void subscribingToAnUnknownVaultIsNotFound() throws Exception {
    FeedRecorder feed = new FeedRecorder();
    client.subscribe("nope", 0, feed);
    assertThat(feed.closed.poll(10, TimeUnit.SECONDS))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void serverGoingAwayEndsTheSubscriptionAsUnavailable() throws Exception {
    client.createVault(VAULT);
    FeedRecorder feed = new FeedRecorder();
    client.subscribe(VAULT, 0, feed);
    pushNew("a.md", "a".getBytes());
    assertThat(feed.take(1)).containsExactly(1L);
    stopServer();
    assertThat(feed.closed.poll(10, TimeUnit.SECONDS))
        .isInstanceOf(RemoteUnavailableException.class);
  }

  @Test
  void createdVaultsAreListedByName() throws IOException {
    client.createVault("work");
    client.createVault(VAULT);
    pushNew("a.md", "hello".getBytes());

    List<VaultInfo> vaults = client.listVaults();

    assertThat(vaults).extracting(VaultInfo::name).containsExactly(VAULT, "work");
    assertThat(vaults.get(0).files()).isEqualTo(1);
    assertThat(vaults.get(0).bytes()).isEqualTo(5);
    assertThat(vaults.get(0).headSeq()).isEqualTo(1);
    assertThat(vaults.get(0).lastChange()).isNotNull();
    assertThat(vaults.get(1).lastChange()).isNull();
    assertThatThrownBy(() -> client.createVault(VAULT))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void pushOfThreeMibNewThenEditedIsFetchedBackInChunks() throws IOException {
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    client.createVault(VAULT);
    byte[] v1 = TestDeltas.random(seed, 3 << 20);
    byte[] v2 = v1.clone();
    for (int i = 0; i < v2.length; i += 100_000) {
      v2[i] ^= 0x5A;
    }

    RemoteEntry e1 = pushNew("big.bin", v1);
    RemoteEntry e2 =
        client.push(
            VAULT,
            path("big.bin"),
            e1.hash(),
            new ByteArrayInputStream(TestDeltas.delta(v1, v2)),
            DEVICE);

    assertThat(e1.hash()).isEqualTo(ContentHash.digestOf(v1));
    assertThat(e2.hash()).isEqualTo(ContentHash.digestOf(v2));
    assertThat(e2.seq()).isEqualTo(2);
    assertThat(e2.size()).isEqualTo(v2.length);
    long received = client.wireStats().bytesReceived();
    assertThat(fetch(e2.hash(), new byte[0], null)).isEqualTo(v2);
    assertThat(client.wireStats().bytesReceived() - received).isGreaterThan(3 << 20);
    assertThat(fetch(e2.hash(), v1, e1.hash())).isEqualTo(v2);
    assertThat(fetch(e1.hash(), new byte[0], null)).isEqualTo(v1);
    assertThat(client.wireStats().bytesSent()).isGreaterThan(3 << 20);
  }

  @Test
  void changesSinceComesInPagesWithTheTokensDevice() throws IOException {
    client.createVault(VAULT);
    for (int i = 0; i < 25; i++) {
      client.push(
          VAULT,
          path("n" + i + ".md"),
          null,
          new ByteArrayInputStream(TestDeltas.delta(("note " + i).getBytes())),
          "spoofed-device");
    }

    ChangePage p1 = client.changesSince(VAULT, 0, 10);
    ChangePage p2 = client.changesSince(VAULT, 10, 10);
    ChangePage p3 = client.changesSince(VAULT, 20, 10);

    assertThat(p1.changes())
        .extracting(Change::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(p1.hasMore()).isTrue();
    assertThat(p2.changes()).hasSize(10).first().extracting(Change::seq).isEqualTo(11L);
    assertThat(p3.changes()).extracting(Change::seq).containsExactly(21L, 22L, 23L, 24L, 25L);
    assertThat(p3.hasMore()).isFalse();
    assertThat(p3.headSeq()).isEqualTo(25);
    assertThat(p1.changes()).allSatisfy(c -> assertThat(c.device()).isEqualTo(DEVICE));
    assertThat(p1.changes())
        .containsExactlyElementsOf(backend.store.changesSince(VAULT, 0, 10).changes());
  }

  @Test
  void manifestOfTwentyThousandEntriesArrivesInSeveralMessages() throws IOException {
    client.createVault(VAULT);
    byte[] delta = TestDeltas.delta("same small note".getBytes());
    List<Mutation> puts = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      puts.add(
          new Mutation.Put(path(String.format("folder%02d/note%05d.md", i % 50, i)), null, delta));
    }
    for (int from = 0; from < puts.size(); from += Limits.COMMIT_MUTATIONS) {
      backend.store.commit(
          VAULT, puts.subList(from, Math.min(puts.size(), from + Limits.COMMIT_MUTATIONS)), DEVICE);
    }
    AtomicInteger messages = new AtomicInteger();
    GrpcVaultTransport counting =
        GrpcVaultTransport.over(
            ClientInterceptors.intercept(channel(), countMessages(messages)),
            TOKEN,
            GrpcClientOptions.DEFAULTS);

    RemoteManifest manifest = counting.manifest(VAULT);

    assertThat(manifest).isEqualTo(backend.store.manifest(VAULT));
    assertThat(manifest.entries()).hasSize(20_000);
    assertThat(manifest.headSeq()).isEqualTo(20_000);
    assertThat(messages.get()).isGreaterThan(3);
  }

  @Test
  void emptyVaultHasAnEmptyManifest() throws IOException {
    client.createVault(VAULT);

    assertThat(client.manifest(VAULT)).isEqualTo(new RemoteManifest(0, List.of()));
  }

  @Test
  void commitBatchReportsStaleItemsAndAppliesTheRest() throws IOException {
    client.createVault(VAULT);
    RemoteEntry a = pushNew("a.md", "a".getBytes());
    RemoteEntry b = pushNew("b.md", "b".getBytes());
    ContentHash wrong = ContentHash.digestOf("not a".getBytes());

    List<Outcome> outcomes =
        client.commit(
            VAULT,
            List.of(
                new Mutation.Put(path("a.md"), wrong, TestDeltas.delta("a2".getBytes())),
                new Mutation.Put(path("c.md"), null, TestDeltas.delta("c".getBytes())),
                new Mutation.Delete(path("b.md"), b.hash()),
                new Mutation.Move(path("a.md"), path("d.md"), wrong),
                new Mutation.Move(path("a.md"), path("e.md"), a.hash())),
            DEVICE);

    assertThat(outcomes).hasSize(5);
    assertThat(outcomes.get(0)).isEqualTo(new Outcome.Stale(path("a.md"), a));
    assertThat(outcomes.get(1)).isInstanceOf(Outcome.Applied.class);
    assertThat(((Outcome.Applied) outcomes.get(2)).change().op()).isEqualTo(Change.Op.DELETE);
    assertThat(outcomes.get(3)).isEqualTo(new Outcome.Stale(path("a.md"), a));
    Change move = ((Outcome.Applied) outcomes.get(4)).change();
    assertThat(move.previousPath()).isEqualTo(path("a.md"));
    assertThat(move.path()).isEqualTo(path("e.md"));
    assertThat(client.manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("c.md", "e.md");
  }

  /**
   * Issue 12 item 5: a mutation that would make a tree no client can hold is refused for itself
   * alone, with its reason, across the wire; the batch's other mutations are applied.
   */
  @Test
  void commitRefusesATreeNoClientCanHoldPerItemWithItsReason() throws IOException {
    client.createVault(VAULT);
    pushNew("dir1", "a file".getBytes());
    pushNew("notes/a.md", "a".getBytes());

    List<Outcome> outcomes =
        client.commit(
            VAULT,
            List.of(
                new Mutation.Put(path("dir1/child.md"), null, TestDeltas.delta("c".getBytes())),
                new Mutation.Put(path("notes"), null, TestDeltas.delta("n".getBytes())),
                new Mutation.Put(path(".vaultsync/token"), null, TestDeltas.delta("t".getBytes())),
                new Mutation.Put(path("ok.md"), null, TestDeltas.delta("ok".getBytes()))),
            DEVICE);

    assertThat(outcomes.get(0))
        .isInstanceOfSatisfying(
            Outcome.Refused.class,
            r -> {
              assertThat(r.path()).isEqualTo(path("dir1/child.md"));
              assertThat(r.reason()).contains("\"dir1\" is a file");
            });
    assertThat(outcomes.get(1)).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) outcomes.get(2)).reason()).contains(".vaultsync");
    assertThat(outcomes.get(3)).isInstanceOf(Outcome.Applied.class);
    assertThat(backend.store.manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("dir1", "notes/a.md", "ok.md");
  }

  /** A push below a file is refused with the path and reason, rebuilt on the client. */
  @Test
  void pushBelowAFileIsRefusedWithThePathAndReason() throws IOException {
    client.createVault(VAULT);
    pushNew("dir1", "a file".getBytes());

    assertThatThrownBy(() -> pushNew("dir1/child.md", "c".getBytes()))
        .isInstanceOfSatisfying(
            io.vaultsync.protocol.PathRefusedException.class,
            e -> {
              assertThat(e.path()).isEqualTo("dir1/child.md");
              assertThat(e.reason()).contains("\"dir1\" is a file");
            });
    assertThat(backend.store.manifest(VAULT).entries()).hasSize(1);
  }

  /**
   * A client older than {@code refused_outcomes} could not read a refused outcome (its decoder
   * fails on the unknown kind): it gets INVALID_ARGUMENT naming the path, which it prints.
   */
  @Test
  void anOldClientIsToldTheRefusedPathAsInvalidArgument() throws IOException {
    client.createVault(VAULT);
    pushNew("dir1", "a file".getBytes());
    StatusRuntimeException e = rawPutRefused("dir1/child.md");

    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(FromStatus.toException(e, VAULT, null, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("dir1/child.md")
        .hasMessageContaining("update it");
  }

  @Test
  void commitLargerThanOneMessageIsSplitAndAllApplied() throws IOException {
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    client.createVault(VAULT);
    List<Mutation> puts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] content = TestDeltas.random(seed + i, 3 << 20); // incompressible: ~3 MiB deltas
      puts.add(new Mutation.Put(path("big" + i + ".bin"), null, TestDeltas.delta(content)));
    }

    List<Outcome> outcomes = client.commit(VAULT, puts, DEVICE);

    assertThat(outcomes).hasSize(3).allMatch(o -> o instanceof Outcome.Applied);
    assertThat(backend.store.manifest(VAULT).entries()).hasSize(3);
  }

  @Test
  void pushAgainstStaleBaseThrowsWithTheCurrentVersion() throws IOException {
    client.createVault(VAULT);
    RemoteEntry v1 = pushNew("a.md", "one".getBytes());
    RemoteEntry v2 =
        client.push(
            VAULT,
            path("a.md"),
            v1.hash(),
            new ByteArrayInputStream(TestDeltas.delta("one".getBytes(), "two".getBytes())),
            DEVICE);

    assertThatThrownBy(
            () ->
                client.push(
                    VAULT,
                    path("a.md"),
                    v1.hash(),
                    new ByteArrayInputStream(
                        TestDeltas.delta("one".getBytes(), "three".getBytes())),
                    DEVICE))
        .isInstanceOfSatisfying(
            StaleVersionException.class, e -> assertThat(e.current()).isEqualTo(v2))
        .hasMessageContaining("a.md")
        .hasMessageContaining(v2.hash().hex());
    assertThatThrownBy(() -> pushNew("a.md", "new".getBytes()))
        .isInstanceOfSatisfying(
            StaleVersionException.class, e -> assertThat(e.current()).isEqualTo(v2));
    assertThatThrownBy(
            () ->
                client.push(
                    VAULT,
                    path("missing.md"),
                    v1.hash(),
                    new ByteArrayInputStream(TestDeltas.delta("x".getBytes())),
                    DEVICE))
        .isInstanceOfSatisfying(StaleVersionException.class, e -> assertThat(e.current()).isNull());
    assertThat(backend.store.changesSince(VAULT, 0, 100).headSeq()).isEqualTo(2);
  }

  @Test
  void unknownVaultIsNotFoundForEveryCall() {
    ContentHash h = ContentHash.digestOf(new byte[0]);
    assertThatThrownBy(() -> client.changesSince("nope", 0, 10))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> client.manifest("nope")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.fetch("nope", h, null, new ByteArrayOutputStream()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.commit("nope", List.of(), DEVICE))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () ->
                client.push(
                    "nope",
                    path("a.md"),
                    null,
                    new ByteArrayInputStream(TestDeltas.delta("x".getBytes())),
                    DEVICE))
        .isInstanceOf(NotFoundException.class);
  }

  /**
   * Content the server lost is listed on change pages of the vault whose head names it; a device
   * gives it back over the GiveBack call, the server checks the hash (wrong bytes are refused and
   * stored nowhere), and then serves it again and wants it no more.
   */
  @Test
  void lostContentIsListedOnChangePagesAndGivenBackOverTheWire() throws IOException {
    client.createVault(VAULT);
    byte[] content = "a note the server lost\n".getBytes(StandardCharsets.UTF_8);
    RemoteEntry e = pushNew("lost.md", content);
    pushNew("kept.md", "a note it kept\n".getBytes(StandardCharsets.UTF_8));
    backend.store.loseContent(VAULT, e.hash());

    assertThat(client.changesSince(VAULT, 0, 10).wanted()).containsExactly(e.hash());
    assertThat(client.changesSince(VAULT, 2, 10).wanted()).containsExactly(e.hash());
    assertThatThrownBy(() -> fetch(e.hash(), new byte[0], null))
        .isInstanceOf(NotFoundException.class);
    byte[] wrong = "something else\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                client.giveBack(
                    VAULT, e.hash(), new ByteArrayInputStream(TestDeltas.delta(wrong)), DEVICE))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(e.hash().hex());
    assertThat(backend.store.content(VAULT, ContentHash.digestOf(wrong))).isNull();

    assertThat(
            client.giveBack(
                VAULT, e.hash(), new ByteArrayInputStream(TestDeltas.delta(content)), DEVICE))
        .isTrue();
    assertThat(client.changesSince(VAULT, 0, 10).wanted()).isEmpty();
    assertThat(fetch(e.hash(), new byte[0], null)).isEqualTo(content);
    assertThat(
            client.giveBack(
                VAULT, e.hash(), new ByteArrayInputStream(TestDeltas.delta(content)), DEVICE))
        .as("no longer wanted")
        .isFalse();
  }

  @Test
  void fetchOfUnknownContentIsNotFound() throws IOException {
    client.createVault(VAULT);

    assertThatThrownBy(
            () ->
                client.fetch(
                    VAULT,
                    ContentHash.digestOf("never stored".getBytes()),
                    null,
                    new ByteArrayOutputStream()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(ContentHash.digestOf("never stored".getBytes()).hex());
  }

  @Test
  void badOrMissingTokenIsRefusedWithoutEchoingIt() throws IOException {
    try (GrpcVaultTransport intruder = client("stolen-or-guessed-token")) {
      assertThatThrownBy(intruder::listVaults)
          .isInstanceOf(AuthenticationException.class)
          .hasMessage(AuthInterceptor.REFUSED);
      assertThatThrownBy(
              () ->
                  intruder.push(
                      VAULT,
                      path("a.md"),
                      null,
                      new ByteArrayInputStream(TestDeltas.delta("x".getBytes())),
                      DEVICE))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageNotContaining("stolen");
    }
    VaultSyncGrpc.VaultSyncBlockingStub anonymous =
        VaultSyncGrpc.newBlockingStub(channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    StatusRuntimeException missing =
        (StatusRuntimeException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> anonymous.listVaults(ListVaultsRequest.getDefaultInstance()));
    assertThat(FromStatus.toException(missing, null, null, null))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage(AuthInterceptor.REFUSED);
    assertThat(backend.store.listVaults()).isEmpty();
  }

  @Test
  void invalidPathOnTheWireIsRefusedNamingIt() throws IOException {
    client.createVault(VAULT);
    StatusRuntimeException e = rawPutRefused("../outside.md");

    assertThat(FromStatus.toException(e, VAULT, null, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("../outside.md");
    assertThat(backend.store.changesSince(VAULT, 0, 10).headSeq()).isZero();
  }

  @Test
  void pushOfCorruptDeltaIsInvalidAndRecordsNothing() throws IOException {
    client.createVault(VAULT);
    byte[] corrupt = TestDeltas.delta("some content".getBytes());
    corrupt[corrupt.length - 1] ^= 1; // the end marker's target hash no longer matches

    assertThatThrownBy(
            () -> client.push(VAULT, path("a.md"), null, new ByteArrayInputStream(corrupt), DEVICE))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                client.push(
                    VAULT,
                    path("b.md"),
                    null,
                    new ByteArrayInputStream("not a delta at all".getBytes()),
                    DEVICE))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(backend.store.manifest(VAULT)).isEqualTo(new RemoteManifest(0, List.of()));
  }

  @Test
  void pushCancelledHalfwayRecordsNothing() throws Exception {
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    client.createVault(VAULT);
    byte[] delta = TestDeltas.delta(TestDeltas.random(seed, 3 << 20));
    IOException diskGone = new IOException("disk gone");
    InputStream failsHalfway =
        new InputStream() {
          private final InputStream in = new ByteArrayInputStream(delta, 0, delta.length / 2);

          @Override
          public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
              failOnceTheServerRuns();
            }
            return b;
          }

          /**
           * Fails only once the backend's push is running, so the cancel reaches a backend that is
           * reading (a cancel that overtakes the header never starts one, which is also fine but
           * proves nothing here).
           */
          private void failOnceTheServerRuns() throws IOException {
            try {
              backend.pushStarted.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw diskGone;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
              failOnceTheServerRuns();
            }
            return n;
          }
        };

    assertThatThrownBy(() -> client.push(VAULT, path("a.bin"), null, failsHalfway, DEVICE))
        .isSameAs(diskGone);

    assertThat(backend.pushStarted.getCount()).isZero();
    assertThat(backend.pushEnded.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(backend.pushFailure.get()).isInstanceOf(IOException.class);
    assertThat(backend.store.changesSince(VAULT, 0, 10).headSeq()).isZero();
    assertThat(backend.store.manifest(VAULT).entries()).isEmpty();
  }

  @Test
  void oversizedMessageIsRefusedAsResourceExhausted() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        enforcesMessageSizes(), "the in-process transport does not enforce message sizes");
    client.createVault(VAULT);
    CommitRequest.Builder request = CommitRequest.newBuilder().setVault(VAULT);
    for (int i = 0; i < 3; i++) {
      request.addMutations(
          io.vaultsync.transport.grpc.v1.Mutation.newBuilder()
              .setPut(
                  Put.newBuilder()
                      .setPath("big" + i + ".bin")
                      .setDelta(ByteString.copyFrom(new byte[3 << 20]))));
    }

    StatusRuntimeException e =
        (StatusRuntimeException)
            org.assertj.core.api.Assertions.catchThrowable(() -> rawStub().commit(request.build()));

    assertThat(FromStatus.toException(e, VAULT, null, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("RESOURCE_EXHAUSTED");
    assertThat(backend.store.changesSince(VAULT, 0, 10).headSeq()).isZero();
  }

  @Test
  void fetchWhoseReaderStallsDoesNotBufferTheContentAndCancelsCleanly() throws Exception {
    IOException readerGone = new IOException("reader gone");
    StallingOutput stalls = new StallingOutput(readerGone);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<?> fetch =
          caller.submit(
              () -> {
                client.fetch(VAULT, ObservedBackend.BIG, null, stalls);
                return null;
              });
      assertThat(stalls.firstWrite.await(30, TimeUnit.SECONDS)).isTrue();

      // The producer ends up blocked in the flow-controlled sender, far from the 64 MiB.
      backend.awaitBigProducerWaiting();
      long written = backend.bigWritten.get();
      System.out.println("producer blocked after " + written + " bytes");
      assertThat(written).isLessThan(16L << 20);

      stalls.release();
      assertThatThrownBy(() -> fetch.get(30, TimeUnit.SECONDS)).hasCause(readerGone);
      assertThat(backend.bigEnded.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(backend.bigFailure.get()).isInstanceOf(IOException.class);
      assertThat(backend.bigWritten.get()).isLessThan(ObservedBackend.BIG_BYTES);
    } finally {
      stalls.release();
      caller.shutdownNow();
    }
  }

  /** Counts the response messages of every call through the intercepted channel. */
  static ClientInterceptor countMessages(AtomicInteger counter) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            super.start(
                new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                  @Override
                  public void onMessage(R message) {
                    counter.incrementAndGet();
                    super.onMessage(message);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  /**
   * Issue 4: the head's Merkle root, snapshots on request, a snapshot's entries and the compacted
   * horizon of a change page all cross the wire intact.
   */
  @Test
  void rootSnapshotsAndCompactedHorizonCrossTheWire() throws IOException {
    client.createVault(VAULT);
    assertThat(client.root(VAULT)).isEqualTo(backend.store.root(VAULT));
    assertThatThrownBy(() -> client.snapshot(VAULT, false)).isInstanceOf(NotFoundException.class);
    RemoteEntry a = pushNew("a.md", "a".getBytes(StandardCharsets.UTF_8));
    pushNew("b/c.md", "c".getBytes(StandardCharsets.UTF_8));
    io.vaultsync.protocol.SnapshotInfo snap = client.snapshot(VAULT, true);
    assertThat(snap.seq()).isEqualTo(2);
    assertThat(snap.root()).isEqualTo(client.root(VAULT).root());
    assertThat(client.snapshot(VAULT, false)).isEqualTo(snap);
    client.delete(VAULT, a.path(), a.hash(), DEVICE);
    assertThat(client.snapshotManifest(VAULT, 2))
        .isEqualTo(backend.store.snapshotManifest(VAULT, 2));
    assertThat(client.root(VAULT).files()).isEqualTo(1);
    assertThatThrownBy(() -> client.snapshotManifest(VAULT, 3))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("seq 3");

    backend.store.compact(VAULT, 2);
    ChangePage behind = client.changesSince(VAULT, 1, 100);
    assertThat(behind.changes()).isEmpty();
    assertThat(behind.horizonSeq()).isEqualTo(2);
    assertThat(behind.compactedAfter(1)).isTrue();
    assertThat(client.changesSince(VAULT, 2, 100).changes()).hasSize(1);
  }

  /**
   * Issue 5: a vault's versions (paged, per path, with moves and deletes), the seq at a time and
   * the manifest at any seq cross the wire as the backend has them, also past a compaction.
   */
  @Test
  void historySeqAtAndManifestAtCrossTheWire() throws IOException {
    client.createVault(VAULT);
    RemoteEntry a1 = pushNew("a.md", "one".getBytes(StandardCharsets.UTF_8));
    RemoteEntry a2 =
        client.push(
            VAULT,
            a1.path(),
            a1.hash(),
            new ByteArrayInputStream(TestDeltas.delta("two".getBytes(StandardCharsets.UTF_8))),
            DEVICE);
    pushNew("c.md", "c".getBytes(StandardCharsets.UTF_8));
    client.move(VAULT, a2.path(), path("b.md"), a2.hash(), DEVICE);
    client.delete(VAULT, path("b.md"), a2.hash(), DEVICE);
    long head = 5;

    List<Change> all = client.history(VAULT, null, Long.MAX_VALUE, 100);
    assertThat(all).isEqualTo(backend.store.history(VAULT, null, Long.MAX_VALUE, 100));
    assertThat(all).extracting(Change::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(client.history(VAULT, path("a.md"), Long.MAX_VALUE, 100))
        .extracting(Change::seq)
        .containsExactly(4L, 2L, 1L);
    assertThat(client.history(VAULT, null, 4, 2)).extracting(Change::seq).containsExactly(3L, 2L);
    for (long seq = 0; seq <= head + 1; seq++) {
      assertThat(client.manifestAt(VAULT, seq)).isEqualTo(backend.store.manifestAt(VAULT, seq));
    }
    assertThat(client.manifestAt(VAULT, 2).entries())
        .extracting(e -> e.path().value())
        .containsExactly("a.md");
    Change third = all.get(2);
    assertThat(client.seqAt(VAULT, third.time()))
        .isEqualTo(backend.store.seqAt(VAULT, third.time()));
    assertThat(client.seqAt(VAULT, java.time.Instant.EPOCH)).isZero();
    assertThat(client.seqAt(VAULT, java.time.Instant.MAX)).isEqualTo(head);

    backend.store.snapshot(VAULT, true);
    backend.store.compact(VAULT, head);
    assertThat(client.history(VAULT, null, Long.MAX_VALUE, 100)).isEqualTo(all);
  }

  @Test
  void hostileHistoryRequestsAreRefusedNamingTheValue() throws IOException {
    client.createVault(VAULT);
    var good =
        io.vaultsync.transport.grpc.v1.HistoryRequest.newBuilder()
            .setVault(VAULT)
            .setBeforeSeq(Long.MAX_VALUE)
            .setLimit(10);
    java.util.Map<io.vaultsync.transport.grpc.v1.HistoryRequest, String> bad =
        java.util.Map.of(
            good.clone().setPath("../outside.md").build(), "../outside.md",
            good.clone().setPath("a//b.md").build(), "a//b.md",
            good.clone().setLimit(0).build(), "limit 0",
            good.clone().setLimit(10_001).build(), "limit 10001",
            good.clone().setBeforeSeq(0).build(), "seq 0",
            good.clone().setBeforeSeq(-5).build(), "seq -5");
    for (var e : bad.entrySet()) {
      StatusRuntimeException thrown =
          (StatusRuntimeException)
              org.assertj.core.api.Assertions.catchThrowable(() -> rawStub().history(e.getKey()));
      assertThat(FromStatus.toException(thrown, VAULT, null, null))
          .as(e.getValue())
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining(e.getValue());
    }
    StatusRuntimeException negative =
        (StatusRuntimeException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    rawStub()
                        .getManifestAt(
                            io.vaultsync.transport.grpc.v1.GetManifestAtRequest.newBuilder()
                                .setVault(VAULT)
                                .setSeq(-1)
                                .build())
                        .hasNext());
    assertThat(FromStatus.toException(negative, VAULT, null, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("seq -1");
    assertThatThrownBy(() -> client.history("nope", null, Long.MAX_VALUE, 10))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.manifestAt("nope", 1)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.seqAt("nope", java.time.Instant.EPOCH))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void fetchManyOfManyNotesAndOneLargerThanAMessageArrivesWholeAndInOrder() throws IOException {
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    client.createVault(VAULT);
    java.util.Random random = new java.util.Random(seed);
    List<Mutation> puts = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      byte[] note = TestDeltas.random(random.nextLong(), 200 + random.nextInt(4000));
      contents.add(note);
      puts.add(new Mutation.Put(path("n" + i + ".md"), null, TestDeltas.delta(note)));
    }
    client.commit(VAULT, puts, DEVICE);
    byte[] big = TestDeltas.random(seed, (3 << 20) + 123);
    pushNew("big.bin", big);
    byte[] bigEdited = big.clone();
    bigEdited[1 << 20] ^= 0x5A;
    RemoteEntry edited =
        client.push(
            VAULT,
            path("big.bin"),
            ContentHash.digestOf(big),
            new ByteArrayInputStream(TestDeltas.delta(big, bigEdited)),
            DEVICE);
    List<io.vaultsync.protocol.FetchItem> items = new ArrayList<>();
    for (byte[] c : contents.subList(0, 300)) {
      items.add(new io.vaultsync.protocol.FetchItem(ContentHash.digestOf(c), null));
    }
    items.add(new io.vaultsync.protocol.FetchItem(ContentHash.digestOf(big), null));
    items.add(new io.vaultsync.protocol.FetchItem(edited.hash(), ContentHash.digestOf(big)));
    for (byte[] c : contents.subList(300, 600)) {
      items.add(new io.vaultsync.protocol.FetchItem(ContentHash.digestOf(c), null));
    }
    RecordingFetchReceiver r = new RecordingFetchReceiver();

    client.fetchMany(VAULT, items, r);

    List<String> expectedCalls = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      expectedCalls.add("begin " + i);
      expectedCalls.add("end " + i);
    }
    assertThat(r.calls).containsExactlyElementsOf(expectedCalls);
    for (int i = 0; i < 300; i++) {
      assertThat(TestDeltas.patch(new byte[0], r.deltas.get(i))).isEqualTo(contents.get(i));
      assertThat(TestDeltas.patch(new byte[0], r.deltas.get(302 + i)))
          .isEqualTo(contents.get(300 + i));
    }
    assertThat(r.deltas.get(300).length).isGreaterThan(Limits.CHUNK_BYTES);
    assertThat(TestDeltas.patch(new byte[0], r.deltas.get(300))).isEqualTo(big);
    assertThat(r.deltas.get(301).length).isLessThan(64 << 10);
    assertThat(TestDeltas.patch(big, r.deltas.get(301))).isEqualTo(bigEdited);
  }

  @Test
  void fetchManyReportsAnUnknownHashForItsItemAndDeliversTheOthers() throws IOException {
    client.createVault(VAULT);
    byte[] a = "# a\n".getBytes(StandardCharsets.UTF_8);
    byte[] b = "# b\n".getBytes(StandardCharsets.UTF_8);
    pushNew("a.md", a);
    pushNew("b.md", b);
    ContentHash unknown = ContentHash.digestOf("never stored".getBytes(StandardCharsets.UTF_8));
    RecordingFetchReceiver r = new RecordingFetchReceiver();

    client.fetchMany(
        VAULT,
        List.of(
            new io.vaultsync.protocol.FetchItem(ContentHash.digestOf(a), null),
            new io.vaultsync.protocol.FetchItem(unknown, null),
            new io.vaultsync.protocol.FetchItem(
                ContentHash.digestOf(b), ContentHash.digestOf("no such base".getBytes()))),
        r);

    assertThat(r.calls).containsExactly("begin 0", "end 0", "notFound 1", "begin 2", "end 2");
    assertThat(TestDeltas.patch(new byte[0], r.deltas.get(0))).isEqualTo(a);
    assertThat(r.notFound.get(1)).contains(unknown.hex());
    // A base the remote lacks costs only bytes: the item comes against nothing (the protocol).
    assertThat(TestDeltas.patch(new byte[0], r.deltas.get(2))).isEqualTo(b);
  }

  @Test
  void fetchManyOverTheItemLimitIsRefusedNamingTheCountOnBothSides() throws IOException {
    client.createVault(VAULT);
    ContentHash h = ContentHash.digestOf(new byte[0]);
    int tooMany = io.vaultsync.protocol.Limits.FETCH_ITEMS + 1;

    assertThatThrownBy(
            () ->
                client.fetchMany(
                    VAULT,
                    java.util.Collections.nCopies(
                        tooMany, new io.vaultsync.protocol.FetchItem(h, null)),
                    new RecordingFetchReceiver()))
        .isInstanceOf(io.vaultsync.protocol.InvalidRequestException.class)
        .hasMessageContaining(String.valueOf(tooMany));
    var request = io.vaultsync.transport.grpc.v1.FetchManyRequest.newBuilder().setVault(VAULT);
    for (int i = 0; i < tooMany; i++) {
      request.addItems(
          io.vaultsync.transport.grpc.v1.FetchManyItem.newBuilder()
              .setTarget(ByteString.copyFrom(new byte[32])));
    }
    assertThatThrownBy(() -> rawStub().fetchMany(request.build()).hasNext())
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining(String.valueOf(tooMany));
  }

  @Test
  void fetchManyOfAnUnknownVaultIsNotFound() {
    ContentHash h = ContentHash.digestOf(new byte[0]);
    RecordingFetchReceiver r = new RecordingFetchReceiver();

    assertThatThrownBy(
            () ->
                client.fetchMany("nope", List.of(new io.vaultsync.protocol.FetchItem(h, null)), r))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
    assertThat(r.calls).isEmpty();
  }

  // ---- a server that stops answering (issue 12, item 13) ----

  /** A client that gives up fast and never retries: stall 500 ms, unary deadline 1 s. */
  GrpcVaultTransport impatientClient() {
    return GrpcVaultTransport.over(
        channel(),
        TOKEN,
        GrpcClientOptions.DEFAULTS
            .withStallTimeout(Duration.ofMillis(500))
            .withUnaryDeadline(Duration.ofSeconds(1))
            .withRetry(RetryPolicy.NONE));
  }

  /**
   * Runs {@code call} against a hung backend and returns what it threw, checking it took less than
   * 10 s (the old client waited for its 10-minute stream deadline).
   */
  Throwable againstAHungServer(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    backend.hang = new CountDownLatch(1);
    long start = System.nanoTime();
    try {
      Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      return t;
    } finally {
      backend.hang.countDown();
    }
  }

  @Test
  void aFetchTheServerStopsSendingFailsAsStalledWithinTheStallTimeout() throws IOException {
    client.createVault(VAULT);
    RemoteEntry a = pushNew("a.md", "hello".getBytes(StandardCharsets.UTF_8));
    try (GrpcVaultTransport impatient = impatientClient()) {
      assertThat(
              againstAHungServer(
                  () -> impatient.fetch(VAULT, a.hash(), null, new ByteArrayOutputStream())))
          .isInstanceOfSatisfying(
              RemoteStalledException.class,
              e -> {
                assertThat(e.silence()).isEqualTo(Duration.ofMillis(500));
                assertThat(e.getMessage())
                    .isEqualTo(
                        "nothing from the server for 0.5 s while downloading version "
                            + a.hash().hex().substring(0, 12));
              });
    }
  }

  @Test
  void aBatchedFetchAndAListingTheServerStopsSendingFailAsStalled() throws IOException {
    client.createVault(VAULT);
    RemoteEntry a = pushNew("a.md", "hello".getBytes(StandardCharsets.UTF_8));
    try (GrpcVaultTransport impatient = impatientClient()) {
      assertThat(
              againstAHungServer(
                  () ->
                      impatient.fetchMany(
                          VAULT,
                          List.of(new io.vaultsync.protocol.FetchItem(a.hash(), null)),
                          new RecordingFetchReceiver())))
          .isInstanceOf(RemoteStalledException.class)
          .hasMessageEndingWith("while downloading 1 file");
      assertThat(againstAHungServer(() -> impatient.manifest(VAULT)))
          .isInstanceOf(RemoteStalledException.class)
          .hasMessageEndingWith("while reading the file list of vault notes");
    }
  }

  @Test
  void aUnaryCallTheServerDoesNotAnswerFailsAsStalledAtItsDeadline() throws IOException {
    client.createVault(VAULT);
    try (GrpcVaultTransport impatient = impatientClient()) {
      impatient.listVaults(); // the server has answered this client: a silence is a stall
      assertThat(againstAHungServer(() -> impatient.changesSince(VAULT, 0, 10)))
          .isInstanceOfSatisfying(
              RemoteStalledException.class,
              e -> assertThat(e.silence()).isEqualTo(Duration.ofSeconds(1)))
          .hasMessage("nothing from the server for 1 s while asking for the changes after seq 0");
    }
  }

  @Test
  void aPushTheServerStopsReadingFailsAsStalledAndRecordsNothing() throws IOException {
    client.createVault(VAULT);
    byte[] big = TestDeltas.delta(TestDeltas.random(7, 24 << 20));
    try (GrpcVaultTransport impatient = impatientClient()) {
      assertThat(
              againstAHungServer(
                  () ->
                      impatient.push(
                          VAULT, path("big.bin"), null, new ByteArrayInputStream(big), DEVICE)))
          .isInstanceOf(RemoteStalledException.class)
          .hasMessageContaining("uploading big.bin");
    }
    assertThat(client.manifest(VAULT).entries()).isEmpty();
  }
}
