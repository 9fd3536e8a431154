package io.vaultsync.core.format;

import java.io.IOException;

/**
 * Input that is not a valid signature, delta or compressed block. The root of a small tree: {@link
 * BadHeaderException} (wrong magic or unsupported version), {@link TruncatedInputException} (the
 * input ended early) and {@link CorruptDataException} (a value out of range, a failed checksum or
 * hash, trailing bytes). Messages name the bad value and what was expected.
 */
public abstract class FormatException extends IOException {
  private static final long serialVersionUID = 1L;

  protected FormatException(String message) {
    super(message);
  }

  protected FormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
