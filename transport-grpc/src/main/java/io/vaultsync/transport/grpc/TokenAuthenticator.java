package io.vaultsync.transport.grpc;

import java.util.Optional;

/**
 * Decides which device a bearer token belongs to. The server calls it once per call, with the token
 * from the {@code authorization: Bearer <token>} header, on a gRPC thread: it should answer from
 * memory or a fast store and must be thread-safe.
 */
@FunctionalInterface
public interface TokenAuthenticator {
  /** The device name the token authenticates, or empty if the token is unknown or revoked. */
  Optional<String> deviceFor(String token);
}
