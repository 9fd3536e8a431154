package io.vaultsync.protocol;

/**
 * The remote refused a call as malformed: a path that is not canonical, a corrupt delta, a value
 * out of range, a message larger than the remote accepts. Retrying the same call fails the same
 * way; the message names the bad value.
 */
public final class InvalidRequestException extends TransportException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }
}
