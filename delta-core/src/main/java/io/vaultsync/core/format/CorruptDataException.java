package io.vaultsync.core.format;

/**
 * A value is out of range or inconsistent: a length over its limit, a copy outside the basis, a
 * checksum or whole-file hash that does not match, bytes after the end marker.
 */
public final class CorruptDataException extends FormatException {
  private static final long serialVersionUID = 1L;

  public CorruptDataException(String message) {
    super(message);
  }

  public CorruptDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
