package io.vaultsync.core.transport;

/**
 * The remote could not be reached or did not answer in time. Nothing is known to have changed for a
 * write that failed this way only if the write names the version it replaces, which every write of
 * {@link VaultTransport} does: retrying it is safe, and either succeeds or reports a stale version.
 */
public final class RemoteUnavailableException extends TransportException {
  private static final long serialVersionUID = 1L;

  public RemoteUnavailableException(String message) {
    super(message);
  }
}
