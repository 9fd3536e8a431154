package io.vaultsync.client.sync;

import java.io.IOException;

/** A local file is no longer the version a step expected: the step is skipped and retried. */
public final class ChangedMeanwhileException extends IOException {
  private static final long serialVersionUID = 1L;

  public ChangedMeanwhileException(String message) {
    super(message);
  }
}
