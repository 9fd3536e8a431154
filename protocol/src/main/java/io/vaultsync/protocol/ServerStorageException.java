package io.vaultsync.protocol;

/**
 * The server could not store what a call sent because its own storage failed (its disk is full or
 * read-only): nothing of the call was recorded, and running it again once the operator has fixed
 * the server succeeds. Not the caller's fault, and not a reason to change anything locally.
 */
public final class ServerStorageException extends TransportException {
  private static final long serialVersionUID = 1L;

  public ServerStorageException(String message) {
    super(message);
  }
}
