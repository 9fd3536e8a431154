package io.vaultsync.transport.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The calls in progress, by the device token that authenticated each, so that the calls of a
 * revoked token can be ended at once ({@link #endCalls}): a Subscribe stream would otherwise go on
 * delivering paths, hashes and device names until the server restarts. Give one to {@link
 * VaultSyncServices#definition(io.vaultsync.protocol.VaultTransport, TokenAuthenticator,
 * java.util.concurrent.Executor, java.time.Duration, OpenCalls)}; the server decides which tokens
 * are revoked (it polls its token store).
 *
 * <p>Ending a call closes it with UNAUTHENTICATED and the given reason; to the service it looks
 * like a cancel (its cancel handlers run: a subscription to the change feed is closed, a producer
 * blocked on flow control wakes up, a push in progress is aborted and records nothing), and
 * whatever it sends afterwards is dropped. Thread-safe.
 */
public final class OpenCalls {
  private final Map<String, Set<Revocable<?, ?>>> byToken = new HashMap<>();

  /** Open calls now. */
  public synchronized int size() {
    return byToken.values().stream().mapToInt(Set::size).sum();
  }

  /**
   * Ends every open call made with a token {@code revoked} accepts (asked once per distinct token),
   * with UNAUTHENTICATED and {@code reason}. Returns how many calls were ended.
   */
  public int endCalls(Predicate<String> revoked, String reason) {
    List<Revocable<?, ?>> doomed = new ArrayList<>();
    List<String> tokens;
    synchronized (this) {
      tokens = new ArrayList<>(byToken.keySet());
    }
    for (String token : tokens) {
      if (revoked.test(token)) {
        synchronized (this) {
          Set<Revocable<?, ?>> calls = byToken.remove(token);
          if (calls != null) {
            doomed.addAll(calls);
          }
        }
      }
    }
    for (Revocable<?, ?> call : doomed) {
      call.revoke(Status.UNAUTHENTICATED.withDescription(reason));
    }
    return doomed.size();
  }

  /**
   * Registers {@code call}, authenticated by {@code token} and run in {@code context} (cancelled
   * when the call is ended); the service must use the returned call, and its listener must be
   * wrapped by {@link Revocable#listen} (which unregisters at the end).
   */
  <Q, R> Revocable<Q, R> register(
      String token, ServerCall<Q, R> call, io.grpc.Context.CancellableContext context) {
    Revocable<Q, R> r = new Revocable<>(this, token, call, context);
    synchronized (this) {
      byToken.computeIfAbsent(token, t -> new HashSet<>()).add(r);
    }
    return r;
  }

  private synchronized void unregister(String token, Revocable<?, ?> call) {
    Set<Revocable<?, ?>> calls = byToken.get(token);
    if (calls != null && calls.remove(call) && calls.isEmpty()) {
      byToken.remove(token);
    }
  }

  /**
   * A server call that can be closed from another thread: every method that talks to the transport
   * is serialized on this object (gRPC's {@link ServerCall} is not thread-safe), and after {@link
   * #revoke} messages and a second close are dropped.
   */
  static final class Revocable<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private final OpenCalls registry;
    private final String token;
    private final io.grpc.Context.CancellableContext context;
    private boolean closed;
    private volatile boolean revoked;

    Revocable(
        OpenCalls registry,
        String token,
        ServerCall<Q, R> delegate,
        io.grpc.Context.CancellableContext context) {
      super(delegate);
      this.registry = registry;
      this.token = token;
      this.context = context;
    }

    /** Wraps the service's listener: unregisters at the end; a revoked call ends as cancelled. */
    ServerCall.Listener<Q> listen(ServerCall.Listener<Q> listener) {
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
        @Override
        public void onComplete() {
          registry.unregister(token, Revocable.this);
          if (revoked) {
            super.onCancel(); // closed by us, not by the service: its cancel handlers clean up
          } else {
            super.onComplete();
          }
        }

        @Override
        public void onCancel() {
          registry.unregister(token, Revocable.this);
          super.onCancel();
        }
      };
    }

    /**
     * Closes the call with {@code status} and cancels its context at once: the client may be
     * reading nothing, so the trailers (and the transport's end-of-call callback) may not go out
     * until it does; the service's senders and receivers listen to the context and stop now.
     */
    void revoke(Status status) {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        revoked = true;
        super.close(status, new Metadata());
      }
      context.cancel(status.asRuntimeException());
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void request(int numMessages) {
      if (!closed) {
        super.request(numMessages);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }

    @Override
    public synchronized void setCompression(String compressor) {
      if (!closed) {
        super.setCompression(compressor);
      }
    }

    @Override
    public synchronized void setMessageCompression(boolean enabled) {
      if (!closed) {
        super.setMessageCompression(enabled);
      }
    }

    @Override
    public boolean isReady() {
      return !revoked && super.isReady();
    }

    @Override
    public boolean isCancelled() {
      return revoked || super.isCancelled();
    }
  }
}
