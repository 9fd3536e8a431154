package io.vaultsync.transport.grpc;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Sends {@code authorization: Bearer <token>} with every call. The token is never logged. */
final class BearerTokenCredentials extends CallCredentials {
  private final String header;

  BearerTokenCredentials(String token) {
    if (token.isEmpty() || token.length() > AuthInterceptor.MAX_TOKEN_CHARS) {
      throw new IllegalArgumentException(
          "device token of "
              + token.length()
              + " chars; expected 1 to "
              + AuthInterceptor.MAX_TOKEN_CHARS);
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException(
            "device token has a character outside printable ASCII at index " + i);
      }
    }
    this.header = AuthInterceptor.BEARER + token;
  }

  @Override
  public void applyRequestMetadata(
      RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, header);
    applier.apply(headers);
  }

  @Override
  public String toString() {
    return "BearerTokenCredentials[***]";
  }
}
