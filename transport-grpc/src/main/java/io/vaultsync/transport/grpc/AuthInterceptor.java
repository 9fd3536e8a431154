package io.vaultsync.transport.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call by its {@code authorization: Bearer <token>} header and puts the device
 * name into the gRPC {@link Context} ({@link #DEVICE}). A missing, malformed, oversized or unknown
 * token closes the call with UNAUTHENTICATED and one message for all of these, which never echoes
 * the token.
 */
final class AuthInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The authenticated device of the current call. */
  static final Context.Key<String> DEVICE = Context.key("vaultsync-device");

  static final String BEARER = "Bearer ";

  /** Longest token passed to the authenticator, in chars. */
  static final int MAX_TOKEN_CHARS = 1024;

  static final String REFUSED = "missing or invalid device token";

  private static final Logger LOG = LoggerFactory.getLogger(AuthInterceptor.class);

  private final TokenAuthenticator authenticator;
  private final OpenCalls openCalls;

  AuthInterceptor(TokenAuthenticator authenticator) {
    this(authenticator, null);
  }

  /** Registers every authenticated call in {@code openCalls} (null: none is tracked). */
  AuthInterceptor(TokenAuthenticator authenticator, OpenCalls openCalls) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.openCalls = openCalls;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Optional<String> device;
    String header = headers.get(AUTHORIZATION);
    try {
      device = deviceOf(header);
    } catch (java.io.UncheckedIOException e) {
      // The token store cannot be read (its database is unreachable): the client retries later.
      LOG.warn("cannot check a device token now: {}", e.getCause().getMessage());
      call.close(
          Status.UNAVAILABLE.withDescription("the server cannot check tokens now; retry later"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    } catch (RuntimeException e) {
      LOG.error("token authenticator failed", e);
      call.close(Status.INTERNAL.withDescription("authentication failed"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (device.isEmpty()) {
      call.close(Status.UNAUTHENTICATED.withDescription(REFUSED), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context ctx = Context.current().withValue(DEVICE, device.get());
    if (openCalls == null) {
      return Contexts.interceptCall(ctx, call, headers, next);
    }
    Context.CancellableContext cancellable = ctx.withCancellation();
    OpenCalls.Revocable<Q, R> tracked = openCalls.register(tokenOf(header), call, cancellable);
    return tracked.listen(Contexts.interceptCall(cancellable, tracked, headers, next));
  }

  private static String tokenOf(String header) {
    return header.substring(BEARER.length()).strip();
  }

  private Optional<String> deviceOf(String header) {
    if (header == null || !header.startsWith(BEARER)) {
      return Optional.empty();
    }
    String token = tokenOf(header);
    if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    Optional<String> device = authenticator.deviceFor(token);
    return device.filter(d -> !d.isEmpty());
  }
}
