package io.vaultsync.protocol;

/** The remote did not accept this device's credentials (missing, unknown or revoked token). */
public final class AuthenticationException extends TransportException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) {
    super(message);
  }
}
