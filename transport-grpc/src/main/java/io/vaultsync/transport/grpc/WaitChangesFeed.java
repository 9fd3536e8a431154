package io.vaultsync.transport.grpc;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.FeedGapException;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.transport.grpc.v1.ChangesSinceResponse;
import io.vaultsync.transport.grpc.v1.WaitChangesRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscription made of {@code WaitChanges} long polls, for a client that makes unary calls only:
 * one daemon thread asks for the changes after the last seq delivered, waiting up to {@link #WAIT}
 * for one, and hands each page to the listener. Each change reaches the listener once and in order
 * (the seqs of each page must follow the last delivered, as on the gRPC stream); the first failure
 * ends the feed and reaches the listener's {@code onClosed} once, as the protocol's exception (a
 * compacted ledger as {@link FeedGapException}, a lost connection as {@link
 * io.vaultsync.protocol.RemoteUnavailableException}): subscribe again from the last seq applied.
 * Closing cancels the poll in progress; the listener hears nothing after that.
 */
final class WaitChangesFeed implements Subscription {
  /** How long one poll waits for a change (the server allows up to a minute). */
  static final Duration WAIT = Duration.ofSeconds(30);

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final GrpcCalls calls;
  private final String vault;
  private final ChangeListener listener;
  private final Duration wait;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Context.CancellableContext context = Context.current().withCancellation();
  private long delivered;

  /** Whether the polls ask for folder moves (each as one change). */
  private boolean folderMoves;

  WaitChangesFeed(
      GrpcCalls calls, String vault, long afterSeq, ChangeListener listener, Duration wait) {
    this.calls = calls;
    this.vault = vault;
    this.delivered = afterSeq;
    this.listener = listener;
    this.wait = wait;
  }

  /** This feed asking for folder moves as one change each (before {@link #start}). */
  WaitChangesFeed withFolderMoves(boolean folderMoves) {
    this.folderMoves = folderMoves;
    return this;
  }

  /** Starts the polling thread. */
  WaitChangesFeed start() {
    Thread t =
        new Thread(() -> context.run(this::poll), "vaultsync-wait-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    t.start();
    return this;
  }

  private void poll() {
    Duration deadline = wait.plus(calls.options.unaryDeadline());
    String what = "waiting for the changes of vault " + vault;
    try {
      while (!ended.get()) {
        WaitChangesRequest request =
            WaitChangesRequest.newBuilder()
                .setVault(vault)
                .setAfterSeq(delivered)
                .setLimit(Limits.CHANGES_PER_PAGE)
                .setWaitMillis((int) wait.toMillis())
                .setFolderMoves(folderMoves)
                .build();
        ChangesSinceResponse response;
        try {
          response = calls.blocking(deadline).waitChanges(request);
        } catch (StatusRuntimeException e) {
          if (ended.get()) {
            return; // our own cancel
          }
          IOException lost =
              ConnectionFailures.toException(e, what, calls.stats.answered(), null, deadline);
          throw lost != null ? lost : FromStatus.toSubscribeException(e, vault, delivered);
        }
        ChangePage page = GrpcCalls.decode(() -> FromProto.changePage(response));
        if (page.compactedAfter(delivered)) {
          throw new FeedGapException(
              vault,
              delivered,
              "the ledger was compacted up to seq " + page.horizonSeq() + "; read the manifest");
        }
        deliver(page);
      }
    } catch (IOException e) {
      end(e);
    } catch (RuntimeException e) {
      end(new IOException("change feed failed: " + e, e));
    }
  }

  private void deliver(ChangePage page) throws IOException {
    List<Change> changes = page.changes();
    long expected = delivered + 1;
    for (Change c : changes) {
      if (c.firstSeq() != expected) {
        throw new IOException(
            "malformed feed from the remote: seq "
                + c.firstSeq()
                + " where "
                + expected
                + " was due");
      }
      expected = c.seq() + 1;
    }
    if (changes.isEmpty() || ended.get()) {
      return;
    }
    delivered = expected - 1;
    listener.onChanges(changes, Math.max(page.headSeq(), delivered));
  }

  private void end(IOException e) {
    if (ended.compareAndSet(false, true)) {
      context.cancel(null);
      listener.onClosed(e);
    }
  }

  @Override
  public void close() {
    if (ended.compareAndSet(false, true)) {
      context.cancel(null);
    }
  }
}
