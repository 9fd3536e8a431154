package io.vaultsync.transport.grpc;

import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.transport.grpc.v1.ManifestChunk;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What every client call of one {@link GrpcVaultTransport} shares: the stubs (credentials, message
 * sizes, deadlines), the retrier, the mapping of a failed call to its exception, the stall watchdog
 * of a server-streaming call, and the decoding of an answer. The calls of each protocol role
 * ({@link GrpcSyncCalls}, {@link GrpcFetchCalls}, {@link GrpcAdminCalls}, {@link GrpcHistoryCalls},
 * {@link GrpcShareCalls}) are written on top of it. Thread-safe.
 */
final class GrpcCalls {
  private final Channel channel;
  private final CallCredentials credentials;
  final GrpcClientOptions options;
  final WireStatsCounter stats;
  final CallRetrier retrier;

  /** Whether requests may be zstd-compressed (bulk calls only). */
  final ZstdPeer zstd;

  /** Whether a call failed on the connection (lost, stalled, unreachable): then close at once. */
  private volatile boolean connectionFailed;

  /**
   * @param channel the channel, already intercepted by {@code stats}
   */
  GrpcCalls(
      Channel channel,
      CallCredentials credentials,
      GrpcClientOptions options,
      WireStatsCounter stats,
      CallRetrier retrier,
      ZstdPeer zstd) {
    this.channel = channel;
    this.zstd = zstd;
    this.credentials = credentials;
    this.options = options;
    this.stats = stats;
    this.retrier = retrier;
  }

  boolean connectionFailed() {
    return connectionFailed;
  }

  /** Records that a call failed on the connection itself (so {@code close} does not wait). */
  void markConnectionFailed() {
    connectionFailed = true;
  }

  /** A blocking stub with {@code deadline} (null: none). */
  VaultSyncGrpc.VaultSyncBlockingStub blocking(Duration deadline) {
    VaultSyncGrpc.VaultSyncBlockingStub stub =
        VaultSyncGrpc.newBlockingStub(channel)
            .withCallCredentials(credentials)
            .withMaxInboundMessageSize(options.maxInboundMessageSize())
            .withMaxOutboundMessageSize(Limits.MESSAGE_BYTES);
    return deadline == null
        ? stub
        : stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** An asynchronous stub, for the streams this client drives itself (Subscribe, Push). */
  VaultSyncGrpc.VaultSyncStub async() {
    return VaultSyncGrpc.newStub(channel)
        .withCallCredentials(credentials)
        .withMaxInboundMessageSize(options.maxInboundMessageSize());
  }

  /**
   * The exception a failed call throws: a connection failure as such ({@link
   * ConnectionFailures#toException}), else the server's answer ({@link FromStatus#toException}).
   */
  IOException failure(
      StatusRuntimeException e,
      String what,
      StallWatchdog stall,
      Duration deadline,
      String vault,
      String path,
      ContentHash base) {
    IOException lost = ConnectionFailures.toException(e, what, stats.answered(), stall, deadline);
    if (lost != null) {
      connectionFailed = true;
      return lost;
    }
    return FromStatus.toException(e, vault, path, base);
  }

  /** As {@link #failure} for a unary call with the unary deadline. */
  IOException unaryFailure(StatusRuntimeException e, String what, String vault) {
    return failure(e, what, null, options.unaryDeadline(), vault, null, null);
  }

  /** The body of a unary call: the call on {@code stub} and the decoding of its answer. */
  @FunctionalInterface
  interface UnaryBody<T> {
    T run(VaultSyncGrpc.VaultSyncBlockingStub stub) throws IOException;
  }

  /**
   * What a call answers when the server is older than it (UNIMPLEMENTED): a value (null included)
   * or an exception.
   */
  @FunctionalInterface
  interface OlderServer<T> {
    T answer() throws IOException;
  }

  /**
   * One attempt of a unary call with the unary deadline, failures mapped; {@code olderServer}
   * (null: mapped as any failure) answers for a server that does not know the call.
   */
  <T> CallRetrier.Attempt<T> unary(
      String what, String vault, UnaryBody<T> body, OlderServer<T> olderServer) {
    return () -> {
      try {
        return body.run(blocking(options.unaryDeadline()));
      } catch (StatusRuntimeException e) {
        if (olderServer != null && e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
          return olderServer.answer();
        }
        throw unaryFailure(e, what, vault);
      }
    };
  }

  /** A unary call that is safe to repeat, retried by the {@link RetryPolicy}. */
  <T> T retried(String what, String vault, UnaryBody<T> body) throws IOException {
    return retried(what, vault, body, null);
  }

  /** As {@link #retried(String, String, UnaryBody)}; {@code olderServer} as in {@link #unary}. */
  <T> T retried(String what, String vault, UnaryBody<T> body, OlderServer<T> olderServer)
      throws IOException {
    return retrier.call(unary(what, vault, body, olderServer));
  }

  /** A unary call that is not repeated (a lost answer may have been applied). */
  <T> T once(String what, String vault, UnaryBody<T> body) throws IOException {
    return unary(what, vault, body, null).run();
  }

  /** The body of a server-streaming call: gets the call's stub and its watchdog. */
  @FunctionalInterface
  interface StreamBody<T> {
    T run(VaultSyncGrpc.VaultSyncBlockingStub stub, StallWatchdog stall) throws IOException;
  }

  /**
   * Runs a blocking server-streaming call under a {@link StallWatchdog}: {@code body} reads the
   * call's messages with {@link #hasNext}, which marks the waits. The call is cancelled when {@code
   * body} returns or throws (a no-op once it completed).
   */
  <T> T streaming(String what, String vault, StreamBody<T> body) throws IOException {
    Context.CancellableContext ctx = Context.current().withCancellation();
    StallWatchdog stall =
        new StallWatchdog(
            options.stallTimeout(), () -> ctx.cancel(new TimeoutException("stalled: " + what)));
    Context previous = ctx.attach();
    try {
      return body.run(blocking(null), stall);
    } catch (StatusRuntimeException e) {
      throw failure(e, what, stall, null, vault, null, null);
    } finally {
      stall.close();
      ctx.detach(previous);
      ctx.cancel(null); // ends the call if we stopped early; a no-op after it completed
    }
  }

  /** {@code messages.hasNext()}, counting the wait as waiting on the server. */
  static boolean hasNext(Iterator<?> messages, StallWatchdog stall) {
    stall.waiting();
    try {
      return messages.hasNext();
    } finally {
      stall.progressed();
    }
  }

  /** A listing stream (the manifest now, at a seq, of a snapshot), read whole; retried whole. */
  RemoteManifest readManifest(
      String vault,
      String what,
      Function<VaultSyncGrpc.VaultSyncBlockingStub, Iterator<ManifestChunk>> call)
      throws IOException {
    return retrier.call(
        () ->
            streaming(
                what,
                vault,
                (stub, stall) -> {
                  stall.waiting();
                  Iterator<ManifestChunk> chunks = call.apply(stub);
                  List<RemoteEntry> entries = new ArrayList<>();
                  long headSeq = -1;
                  while (hasNext(chunks, stall)) {
                    ManifestChunk chunk = chunks.next();
                    if (headSeq >= 0 && chunk.getHeadSeq() != headSeq) {
                      throw malformed(
                          "manifest chunks at seq " + headSeq + " and " + chunk.getHeadSeq());
                    }
                    headSeq = chunk.getHeadSeq();
                    for (var e : chunk.getEntriesList()) {
                      entries.add(decode(() -> FromProto.entry(e)));
                    }
                  }
                  if (headSeq < 0) {
                    throw malformed("a manifest with no message");
                  }
                  return new RemoteManifest(headSeq, entries);
                }));
  }

  /** A {@link FromProto} conversion of a response. */
  @FunctionalInterface
  interface Decoder<T> {
    T decode();
  }

  /** Runs a {@link FromProto} conversion of a response; a bad value fails the call. */
  static <T> T decode(Decoder<T> decoder) throws IOException {
    try {
      return decoder.decode();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException("malformed response from the remote: " + e.getMessage(), e);
    }
  }

  /** The exception for an answer the server should never send: {@code what} names the value. */
  static IOException malformed(String what) {
    return new IOException("malformed response from the remote: " + what);
  }
}
