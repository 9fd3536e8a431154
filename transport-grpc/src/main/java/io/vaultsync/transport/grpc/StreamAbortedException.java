package io.vaultsync.transport.grpc;

import java.io.IOException;

/**
 * A push stream ended without completing: the client cancelled, the connection dropped, the
 * deadline passed or no chunk came for too long. The backend reading the delta sees this instead of
 * the rest of the data, so it records nothing.
 */
final class StreamAbortedException extends IOException {
  private static final long serialVersionUID = 1L;

  StreamAbortedException(String message, Throwable cause) {
    super(message, cause);
  }
}
