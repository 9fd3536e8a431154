package io.vaultsync.protocol;

/** The vault, path or base version a call named does not exist on the remote. */
public final class NotFoundException extends TransportException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
