package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vaultsync.transport.grpc.v1.ChangesSinceRequest;
import io.vaultsync.transport.grpc.v1.ChangesSinceResponse;
import io.vaultsync.transport.grpc.v1.WaitChangesRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WaitChanges: a long poll that holds a subscription and a timer, never a worker thread. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WaitChangesTest extends UnaryCallsFixture {
  /** One worker: a waiting call that held it would starve every other call. */
  @Override
  int workerThreads() {
    return 1;
  }

  static WaitChangesRequest request(long afterSeq, int waitMillis) {
    return WaitChangesRequest.newBuilder()
        .setVault(VAULT)
        .setAfterSeq(afterSeq)
        .setLimit(100)
        .setWaitMillis(waitMillis)
        .build();
  }

  /** Starts a WaitChanges call; its answer (or failure) completes the future. */
  CompletableFuture<ChangesSinceResponse> start(WaitChangesRequest request) {
    CompletableFuture<ChangesSinceResponse> answer = new CompletableFuture<>();
    async.waitChanges(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(ChangesSinceResponse value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    return answer;
  }

  @Test
  void answersAtOnceWhenChangesExist() throws Exception {
    put("a.md", "a".getBytes());
    put("b.md", "b".getBytes());

    ChangesSinceResponse r = stub.waitChanges(request(1, 60_000));

    assertThat(r.getChangesList()).extracting(c -> c.getPath()).containsExactly("b.md");
    assertThat(r.getHeadSeq()).isEqualTo(2);
    assertThat(store.subscribers(VAULT)).isZero();
  }

  @Test
  void wakesOnACommitMadeWhileItWaitsAndReleasesItsSubscription() throws Exception {
    put("a.md", "a".getBytes());
    CompletableFuture<ChangesSinceResponse> answer = start(request(1, 60_000));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.subscribers(VAULT) == 1);
    assertThat(answer).isNotDone();

    put("b.md", "b".getBytes());

    ChangesSinceResponse r = answer.get(10, TimeUnit.SECONDS);
    assertThat(r.getChangesList()).extracting(c -> c.getPath()).containsExactly("b.md");
    assertThat(r.getHeadSeq()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> store.subscribers(VAULT) == 0);
  }

  @Test
  void answersEmptyAfterTheWaitAndReleasesItsSubscription() throws Exception {
    put("a.md", "a".getBytes());

    ChangesSinceResponse r = stub.waitChanges(request(1, 300));

    assertThat(r.getChangesList()).isEmpty();
    assertThat(r.getHeadSeq()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> store.subscribers(VAULT) == 0);
  }

  @Test
  void waitMillisZeroAnswersAtOnce() throws Exception {
    ChangesSinceResponse r = stub.waitChanges(request(0, 0));

    assertThat(r.getChangesList()).isEmpty();
    assertThat(r.getHeadSeq()).isZero();
    assertThat(store.subscribers(VAULT)).isZero();
  }

  @Test
  void aCancelledWaitReleasesItsSubscription() throws Exception {
    Context.CancellableContext context = Context.current().withCancellation();
    CompletableFuture<ChangesSinceResponse> answer = context.call(() -> start(request(0, 60_000)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.subscribers(VAULT) == 1);

    context.cancel(null);

    await().atMost(Duration.ofSeconds(10)).until(() -> store.subscribers(VAULT) == 0);
    // the client hears of the cancel on its own thread, maybe after the server let go
    await().atMost(Duration.ofSeconds(10)).until(answer::isDone);
    assertThat(answer).isCompletedExceptionally();
  }

  @Test
  void waitingCallsHoldNoWorkerThread() throws Exception {
    List<CompletableFuture<ChangesSinceResponse>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(start(request(0, 60_000)));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> store.subscribers(VAULT) == 5);

    // the service's only worker is free: another call is answered at once
    ChangesSinceResponse r =
        stub.withDeadlineAfter(5, TimeUnit.SECONDS)
            .changesSince(ChangesSinceRequest.newBuilder().setVault(VAULT).setLimit(10).build());
    assertThat(r.getHeadSeq()).isZero();

    put("a.md", "a".getBytes());
    for (var w : waiting) {
      assertThat(w.get(10, TimeUnit.SECONDS).getChangesCount()).isEqualTo(1);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> store.subscribers(VAULT) == 0);
  }

  @Test
  void answersAtOnceWhenTheLedgerWasCompactedPastAfterSeq() throws Exception {
    put("a.md", "a".getBytes());
    put("b.md", "b".getBytes());
    store.snapshot(VAULT, true);
    assertThat(store.compact(VAULT)).isEqualTo(2);

    ChangesSinceResponse r = stub.waitChanges(request(0, 60_000));

    assertThat(r.getChangesList()).isEmpty();
    assertThat(r.getHorizonSeq()).isEqualTo(2);
    assertThat(r.getHeadSeq()).isEqualTo(2);
  }

  @Test
  void refusesOutOfBoundsValuesNamingThem() {
    assertThat(why(Status.Code.INVALID_ARGUMENT, () -> stub.waitChanges(request(0, 60_001))))
        .contains("wait_millis 60001")
        .contains("0 to 60000");
    assertThat(why(Status.Code.INVALID_ARGUMENT, () -> stub.waitChanges(request(0, -1))))
        .contains("wait_millis -1");
    assertThat(why(Status.Code.INVALID_ARGUMENT, () -> stub.waitChanges(request(-5, 10))))
        .contains("after seq -5");
    assertThat(
            why(
                Status.Code.INVALID_ARGUMENT,
                () -> stub.waitChanges(request(0, 10).toBuilder().setLimit(0).build())))
        .contains("limit 0");
    assertThat(
            why(
                Status.Code.NOT_FOUND,
                () -> stub.waitChanges(request(0, 10).toBuilder().setVault("other").build())))
        .contains("other");
    assertThat(store.subscribers(VAULT)).isZero();
  }
}
