package io.vaultsync.core.format;

/** The input does not start with the expected magic, or names a version this code cannot read. */
public final class BadHeaderException extends FormatException {
  private static final long serialVersionUID = 1L;

  public BadHeaderException(String message) {
    super(message);
  }
}
