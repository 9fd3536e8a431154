package io.vaultsync.core.format;

/** The input ended before the format said it would (no end marker, a short field or payload). */
public final class TruncatedInputException extends FormatException {
  private static final long serialVersionUID = 1L;

  public TruncatedInputException(String message) {
    super(message);
  }
}
