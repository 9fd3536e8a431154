package io.vaultsync.protocol;

/**
 * The connection to the remote broke during a call, after the remote had been reached: reset,
 * closed, or the remote stopped (a server killed mid-transfer, a network that dropped). Not "cannot
 * reach the remote": the address worked. Retrying is safe for the reasons {@link
 * RemoteUnavailableException} gives; a download that was cut must drop what it received of the item
 * being sent.
 */
public class ConnectionLostException extends RemoteUnavailableException {
  private static final long serialVersionUID = 1L;

  private final String doing;
  private final String detail;

  /**
   * @param doing what the call was doing ("downloading 12 files"), or null
   * @param detail what the connection reported ("UNAVAILABLE: Connection reset by peer")
   */
  public ConnectionLostException(String doing, String detail) {
    super("connection lost" + (doing != null ? " while " + doing : "") + ": " + detail);
    this.doing = doing;
    this.detail = detail;
  }

  /** What the call was doing when the connection broke, or null. */
  public String doing() {
    return doing;
  }

  /** What the connection reported. */
  public String detail() {
    return detail;
  }
}
