package io.vaultsync.protocol;

import java.io.IOException;

/**
 * A remote refused a call: the root of {@link StaleVersionException} and {@link NotFoundException}.
 */
public abstract class TransportException extends IOException {
  private static final long serialVersionUID = 1L;

  protected TransportException(String message) {
    super(message);
  }
}
