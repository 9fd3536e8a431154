package io.vaultsync.transport.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.SyncProtocol;
import io.vaultsync.transport.grpc.v1.ChangesSinceResponse;
import io.vaultsync.transport.grpc.v1.WaitChangesRequest;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server side of WaitChanges (a long poll) without a thread per waiting client: a worker reads
 * the ledger once and answers at once when there is something to say (changes after {@code
 * after_seq}, a ledger compacted past it, or {@code wait_millis} 0); otherwise it subscribes to the
 * backend's change feed and returns. The first of three events then ends the call, once: the feed
 * delivers a change (or ends), the timer fires, or the client cancels. Each ends the subscription
 * and the timer; the first two answer with a fresh {@link SyncProtocol#changesSince} page read on
 * the executor, so the answer is exactly a ChangesSince answer (head, horizon, wanted).
 */
final class ChangeWaiter {
  /** The longest wait a client may ask for, in milliseconds. */
  static final int MAX_WAIT_MILLIS = 60_000;

  private final SyncProtocol backend;
  private final Executor executor;
  private final ScheduledExecutorService timers;

  ChangeWaiter(SyncProtocol backend, Executor executor, ScheduledExecutorService timers) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.timers = Objects.requireNonNull(timers, "timers");
  }

  /** Checks {@code request}'s bounds and starts the wait; must run in the service method. */
  void waitChanges(WaitChangesRequest request, StreamObserver<ChangesSinceResponse> obs) {
    ServerCallStreamObserver<ChangesSinceResponse> call =
        (ServerCallStreamObserver<ChangesSinceResponse>) obs;
    Wait wait = new Wait(request, call);
    call.setOnCancelHandler(wait::cancel);
    try {
      executor.execute(wait::start);
    } catch (RejectedExecutionException e) {
      wait.fail(e);
    }
  }

  /** One waiting call. */
  private final class Wait implements ChangeListener {
    private final WaitChangesRequest request;
    private final ServerCallStreamObserver<ChangesSinceResponse> call;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<Subscription> subscription = new AtomicReference<>();
    private final AtomicReference<ScheduledFuture<?>> timer = new AtomicReference<>();
    private String vault;

    Wait(WaitChangesRequest request, ServerCallStreamObserver<ChangesSinceResponse> call) {
      this.request = request;
      this.call = call;
    }

    /** On the executor: answer now, or subscribe and arm the timer. */
    void start() {
      try {
        vault = FromProto.vault(request.getVault());
        int waitMillis = request.getWaitMillis();
        if (waitMillis < 0 || waitMillis > MAX_WAIT_MILLIS) {
          throw new IllegalArgumentException(
              "wait_millis " + waitMillis + "; expected 0 to " + MAX_WAIT_MILLIS);
        }
        long afterSeq = request.getAfterSeq();
        ChangesSinceResponse now =
            ResponsePages.changesAnswer(
                backend, vault, afterSeq, request.getLimit(), request.getFolderMoves());
        if (now.getChangesCount() > 0 || afterSeq < now.getHorizonSeq() || waitMillis == 0) {
          if (ended.compareAndSet(false, true)) {
            respond(now);
          }
          return;
        }
        Subscription s = backend.subscribe(vault, afterSeq, this);
        subscription.set(s);
        timer.set(timers.schedule(this::wake, waitMillis, TimeUnit.MILLISECONDS));
        if (ended.get()) {
          release(); // woken or cancelled while subscribing
        }
      } catch (Throwable t) {
        fail(t);
      }
    }

    @Override
    public void onChanges(List<Change> changes, long headSeq) {
      wake();
    }

    @Override
    public void onClosed(IOException cause) {
      wake(); // the fresh page says why (compacted past after_seq), or its read fails
    }

    /** A change, the end of the feed or the timer: answer with a fresh page, once. */
    private void wake() {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      release();
      try {
        executor.execute(
            () -> {
              try {
                respond(
                    ResponsePages.changesAnswer(
                        backend,
                        vault,
                        request.getAfterSeq(),
                        request.getLimit(),
                        request.getFolderMoves()));
              } catch (Throwable t) {
                answerError(t);
              }
            });
      } catch (RejectedExecutionException e) {
        answerError(e);
      }
    }

    /** The client went away (or the server ended the call): nothing to answer. */
    void cancel() {
      ended.set(true);
      release();
    }

    /** A failure before the wait began: answers it unless the call already ended. */
    void fail(Throwable t) {
      boolean first = ended.compareAndSet(false, true);
      release();
      if (first) {
        answerError(t);
      }
    }

    /** Ends the subscription and the timer; safe to call more than once. */
    private void release() {
      ScheduledFuture<?> f = timer.getAndSet(null);
      if (f != null) {
        f.cancel(false);
      }
      Subscription s = subscription.getAndSet(null);
      if (s != null) {
        s.close();
      }
    }

    private void respond(ChangesSinceResponse response) {
      synchronized (call) {
        if (!call.isCancelled()) {
          if (WireLimits.worthCompressing(response)) {
            call.setCompression("gzip");
          }
          call.onNext(response);
          call.onCompleted();
        }
      }
    }

    private void answerError(Throwable t) {
      var status = ToStatus.of(t);
      synchronized (call) {
        if (!call.isCancelled()) {
          call.onError(status);
        }
      }
    }
  }
}
