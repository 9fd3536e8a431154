package io.vaultsync.transport.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.transport.grpc.v1.PushHeader;
import io.vaultsync.transport.grpc.v1.PushRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client side of one Push (or GiveBack) call, on the caller's thread: reads the delta in chunks
 * of at most 1 MiB and sends each only when the call {@link ClientCallStreamObserver#isReady is
 * ready}, waiting on the on-ready handler otherwise, so a slow network never makes the client
 * buffer the whole delta. If reading the delta fails, the call is cancelled (the server records
 * nothing) and the read's exception is thrown. The call is given up with a {@link
 * RemoteStalledException} when the network takes no chunk for {@code stallTimeout}, or the answer
 * does not come within {@code answerTimeout} of the last chunk. Single use.
 *
 * @param <R> the call's response
 */
final class PushSender<R> implements ClientResponseObserver<PushRequest, R> {
  /** Starts the call on a stub: {@code stub::push} or {@code stub::giveBack}. */
  @FunctionalInterface
  interface Call<R> {
    io.grpc.stub.StreamObserver<PushRequest> start(io.grpc.stub.StreamObserver<R> responses);
  }

  private final Object lock = new Object();
  private final Duration stallTimeout;
  private final Duration answerTimeout;
  private final String what;
  private ClientCallStreamObserver<PushRequest> requests;
  private R response;
  private Throwable error;
  private boolean done;

  /** {@code what}: the upload, for messages ("uploading notes/a.pdf"). */
  PushSender(Duration stallTimeout, Duration answerTimeout, String what) {
    this.stallTimeout = stallTimeout;
    this.answerTimeout = answerTimeout;
    this.what = what;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<PushRequest> requestStream) {
    this.requests = requestStream;
    requestStream.setOnReadyHandler(this::wake);
  }

  /**
   * Sends {@code header} then {@code delta}; returns the server's answer.
   *
   * @throws StatusRuntimeException the call's failure, for {@link StatusMapping}
   * @throws IOException reading {@code delta} failed (the call was cancelled)
   */
  R push(Call<R> call, PushHeader header, InputStream delta) throws IOException {
    call.start(this);
    try {
      requests.onNext(PushRequest.newBuilder().setHeader(header).build());
      byte[] buffer = new byte[Limits.CHUNK_BYTES];
      while (true) {
        int n = delta.readNBytes(buffer, 0, buffer.length);
        if (n == 0) {
          break;
        }
        if (!awaitReady()) {
          break; // the server answered early (an error, e.g. a stale base or corrupt delta)
        }
        requests.onNext(
            PushRequest.newBuilder().setChunk(ByteString.copyFrom(buffer, 0, n)).build());
        if (n < buffer.length) {
          break; // readNBytes returns short only at end of stream
        }
      }
      requests.onCompleted();
    } catch (IOException | RuntimeException | Error e) {
      requests.cancel("push aborted by the client: " + e.getClass().getSimpleName(), e);
      throw e;
    }
    return awaitResponse();
  }

  /** Waits until the call can take a message; false if the call is already over. */
  private boolean awaitReady() throws IOException {
    synchronized (lock) {
      long start = System.nanoTime();
      while (!done && !requests.isReady()) {
        long left = stallTimeout.toNanos() - (System.nanoTime() - start);
        if (left <= 0) {
          throw new RemoteStalledException(what, stallTimeout);
        }
        try {
          // The on-ready handler and the call's end both notify; the timeout only re-checks.
          lock.wait(Math.min(TimeUnit.SECONDS.toMillis(1), left / 1_000_000 + 1));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while pushing");
        }
      }
      return !done;
    }
  }

  private R awaitResponse() throws IOException {
    synchronized (lock) {
      long start = System.nanoTime();
      while (!done) {
        long left = answerTimeout.toNanos() - (System.nanoTime() - start);
        if (left <= 0) {
          requests.cancel("no answer to the push in time", null);
          throw new RemoteStalledException("waiting for the answer to " + what, answerTimeout);
        }
        try {
          lock.wait(left / 1_000_000 + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          requests.cancel("interrupted", e);
          throw new InterruptedIOException("interrupted while waiting for the push's answer");
        }
      }
      if (error != null) {
        throw Status.fromThrowable(error).asRuntimeException(Status.trailersFromThrowable(error));
      }
      if (response == null) {
        throw Status.INTERNAL.withDescription("push answered no entry").asRuntimeException();
      }
      return response;
    }
  }

  private void wake() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  @Override
  public void onNext(R value) {
    synchronized (lock) {
      response = value;
    }
  }

  @Override
  public void onError(Throwable t) {
    synchronized (lock) {
      error = t;
      done = true;
      lock.notifyAll();
    }
  }

  @Override
  public void onCompleted() {
    synchronized (lock) {
      done = true;
      lock.notifyAll();
    }
  }
}
