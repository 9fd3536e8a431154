package io.vaultsync.transport.grpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.transport.grpc.v1.ChangesSinceResponse;
import io.vaultsync.transport.grpc.v1.SubscribeRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client side of one Subscribe call: checks each message (decodable, non-empty, seqs following
 * the last one delivered, so a broken server cannot make the client skip or repeat a change) and
 * hands it to the listener; any failure ends the call and reaches the listener once, as an {@link
 * IOException} of delta-core. Closing cancels the call; the listener hears nothing after that.
 */
final class SubscribeCall
    implements ClientResponseObserver<SubscribeRequest, ChangesSinceResponse>, Subscription {
  private final String vault;
  private final ChangeListener listener;
  private final java.util.function.BooleanSupplier reachedBefore;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile ClientCallStreamObserver<SubscribeRequest> call;
  private long delivered;

  /** {@code reachedBefore}: whether the client has had any answer from the server yet. */
  SubscribeCall(
      String vault,
      long afterSeq,
      ChangeListener listener,
      java.util.function.BooleanSupplier reachedBefore) {
    this.vault = vault;
    this.reachedBefore = reachedBefore;
    this.delivered = afterSeq;
    this.listener = listener;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
    this.call = requestStream;
  }

  @Override
  public void onNext(ChangesSinceResponse message) {
    if (ended.get()) {
      return;
    }
    ChangePage page;
    try {
      page = FromProto.changePage(message);
    } catch (IllegalArgumentException e) {
      fail(new IOException("malformed change from the remote: " + e.getMessage(), e));
      return;
    }
    List<Change> changes = page.changes();
    if (changes.isEmpty()) {
      fail(new IOException("malformed feed message from the remote: no changes"));
      return;
    }
    long expected = delivered + 1;
    for (Change c : changes) {
      if (c.firstSeq() != expected) {
        fail(
            new IOException(
                "malformed feed from the remote: seq "
                    + c.firstSeq()
                    + " where "
                    + expected
                    + " was due"));
        return;
      }
      expected = c.seq() + 1;
    }
    delivered = expected - 1;
    listener.onChanges(changes, Math.max(page.headSeq(), delivered));
  }

  @Override
  public void onError(Throwable t) {
    if (t instanceof StatusRuntimeException sre) {
      IOException lost =
          sre.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE
                  || sre.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED
              ? ConnectionFailures.toException(
                  sre,
                  "following the change feed of vault " + vault,
                  reachedBefore.getAsBoolean(),
                  null,
                  null)
              : null;
      end(lost != null ? lost : FromStatus.toSubscribeException(sre, vault, delivered));
    } else {
      end(new IOException("change feed failed: " + t, t));
    }
  }

  @Override
  public void onCompleted() {
    end(new RemoteUnavailableException("the server ended the change feed of vault " + vault));
  }

  private void fail(IOException e) {
    end(e);
    ClientCallStreamObserver<SubscribeRequest> c = call;
    if (c != null) {
      c.cancel("bad feed message", null);
    }
  }

  private void end(IOException e) {
    if (ended.compareAndSet(false, true)) {
      listener.onClosed(e);
    }
  }

  @Override
  public void close() {
    if (ended.compareAndSet(false, true)) {
      ClientCallStreamObserver<SubscribeRequest> c = call;
      if (c != null) {
        c.cancel("subscriber closed", null);
      }
    }
  }
}
