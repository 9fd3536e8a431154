package io.vaultsync.protocol;

/**
 * The remote could not be reached or did not answer in time. Nothing is known to have changed for a
 * write that failed this way only if the write names the version it replaces, which every write of
 * {@link VaultTransport} does: retrying it is safe, and either succeeds or reports a stale version.
 *
 * <p>This class itself means the remote was never reached (connection refused, unknown host, a TLS
 * handshake that failed): check the address. Its subclasses say that a conversation had begun:
 * {@link ConnectionLostException} (the connection broke during a call) and {@link
 * RemoteStalledException} (the remote stopped sending or answering for too long).
 */
public class RemoteUnavailableException extends TransportException {
  private static final long serialVersionUID = 1L;

  public RemoteUnavailableException(String message) {
    super(message);
  }
}
