package io.vaultsync.server.auth;

import java.time.Instant;
import java.util.Objects;

/** A device that holds a token, as a listing shows it (never the token). */
public record TokenInfo(String device, Instant created) {
  public TokenInfo {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(created, "created");
  }
}
