package io.vaultsync.server.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Device tokens: every call to the server presents one, and the device it names is recorded with
 * each change. Only a hash of each token is stored. Adapts to the gRPC module's authenticator with
 * one lambda: {@code token -> tokens.deviceFor(token)}.
 */
public interface TokenStore {
  /** The device name the server itself uses for edits found in a master folder. */
  String SERVER_DEVICE = "server-disk";

  /**
   * Creates a token for a new device and returns it in plain text: the only time it is visible.
   *
   * @throws IllegalArgumentException if the name is invalid, reserved or already has a token
   */
  String create(String deviceName) throws IOException;

  /** The device a presented token belongs to, or empty if it is unknown or revoked. */
  Optional<String> deviceFor(String token) throws IOException;

  /** The devices that have a token, by name. */
  List<TokenInfo> list() throws IOException;

  /** Revokes the device's token; returns whether there was one. */
  boolean revoke(String deviceName) throws IOException;
}
