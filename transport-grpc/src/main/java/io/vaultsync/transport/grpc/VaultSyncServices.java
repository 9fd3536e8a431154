package io.vaultsync.transport.grpc;

import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Mounts the {@code vaultsync.v1.VaultSync} service in any gRPC server:
 *
 * <pre>{@code
 * Server server =
 *     VaultSyncServices.configure(NettyServerBuilder.forAddress(address))
 *         .addService(VaultSyncServices.definition(storage, tokens, workers))
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>Every call must carry {@code authorization: Bearer <token>}; the device a token names is the
 * device of every write in that call. Backend calls run on {@code executor} (a bounded pool is
 * advisable: a full pool answers UNAVAILABLE). Streams honour flow control both ways, so a client
 * that stops reading a fetch makes one worker wait rather than the server buffer the content.
 */
public final class VaultSyncServices {
  /**
   * The largest message the service needs to accept: a Commit with a 4 MiB inline delta and paths.
   * gRPC's default (4 MiB) is too small; {@link #configure} sets this.
   */
  public static final int MAX_INBOUND_MESSAGE_SIZE = Limits.MESSAGE_BYTES;

  /** How long a push may go without a chunk before the server gives up on it. */
  public static final Duration DEFAULT_PUSH_IDLE_TIMEOUT = Duration.ofMinutes(2);

  private VaultSyncServices() {}

  /** The service, behind token authentication, backed by {@code backend}. */
  public static ServerServiceDefinition definition(
      VaultTransport backend, TokenAuthenticator auth, Executor executor) {
    return definition(backend, auth, executor, DEFAULT_PUSH_IDLE_TIMEOUT);
  }

  /** As {@link #definition(VaultTransport, TokenAuthenticator, Executor)}, with an idle limit. */
  public static ServerServiceDefinition definition(
      VaultTransport backend,
      TokenAuthenticator auth,
      Executor executor,
      Duration pushIdleTimeout) {
    return definition(backend, auth, executor, pushIdleTimeout, null);
  }

  /**
   * As {@link #definition(VaultTransport, TokenAuthenticator, Executor, Duration)}, registering
   * every authenticated call in {@code openCalls} (null: none), so the server can end the calls of
   * a token it revoked ({@link OpenCalls#endCalls}).
   */
  public static ServerServiceDefinition definition(
      VaultTransport backend,
      TokenAuthenticator auth,
      Executor executor,
      Duration pushIdleTimeout,
      OpenCalls openCalls) {
    return intercepted(backend, auth, executor, pushIdleTimeout, openCalls, null, null);
  }

  /**
   * As {@link #definition(VaultTransport, TokenAuthenticator, Executor, Duration, OpenCalls)},
   * taking UploadPart's parts into {@code uploads} (the other definitions answer UploadPart with
   * FAILED_PRECONDITION), and spooling there the delta of a large item FetchPage pages are reading
   * (the others generate it again for each page). The service owns the folder: it deletes the files
   * a previous process left there now, and idle uploads' and spools' files as they expire.
   *
   * @throws IOException if the staging folder cannot be created or cleared
   */
  public static ServerServiceDefinition definition(
      VaultTransport backend,
      TokenAuthenticator auth,
      Executor executor,
      Duration pushIdleTimeout,
      OpenCalls openCalls,
      UploadSettings uploads)
      throws IOException {
    UploadStaging staging = new UploadStaging(uploads);
    FetchSpools spools = new FetchSpools(uploads.folder(), uploads.clock());
    ServiceTimers.sweepPeriodically(staging, UploadStaging::sweepNow);
    ServiceTimers.sweepPeriodically(spools, FetchSpools::sweep);
    return intercepted(backend, auth, executor, pushIdleTimeout, openCalls, staging, spools);
  }

  private static ServerServiceDefinition intercepted(
      VaultTransport backend,
      TokenAuthenticator auth,
      Executor executor,
      Duration pushIdleTimeout,
      OpenCalls openCalls,
      UploadStaging staging,
      FetchSpools spools) {
    if (pushIdleTimeout.isNegative() || pushIdleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "push idle timeout " + pushIdleTimeout + "; expected a positive duration");
    }
    return CompressedRequestGuard.guard(
        ServerInterceptors.intercept(
            new VaultSyncService(backend, executor, pushIdleTimeout, staging, spools),
            new AuthInterceptor(auth, openCalls),
            ZstdCodec.serverInterceptor()));
  }

  /**
   * Sets the server's maximum inbound message size to {@link #MAX_INBOUND_MESSAGE_SIZE} (it bounds
   * a compressed message's decompressed size too), registers the {@code zstd} encoding and makes
   * each call's {@link ClientAddresses#current() client address} its connection's peer.
   */
  public static <T extends ServerBuilder<T>> T configure(T builder) {
    return builder
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_SIZE)
        .compressorRegistry(ZstdCodec.compressors())
        .decompressorRegistry(ZstdCodec.decompressors())
        .intercept(ClientAddresses.fromPeer());
  }
}
