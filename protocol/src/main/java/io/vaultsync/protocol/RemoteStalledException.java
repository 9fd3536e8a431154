package io.vaultsync.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * The remote sent nothing during a stream, took nothing, or did not answer a call, for {@link
 * #silence}: the call was cancelled rather than left to wait forever. The connection may still be
 * open (a server that hangs, a network that drops packets without closing anything). Retrying is
 * safe for the reasons {@link RemoteUnavailableException} gives.
 */
public final class RemoteStalledException extends RemoteUnavailableException {
  private static final long serialVersionUID = 1L;

  private final String doing;
  private final Duration silence;

  /**
   * @param doing what the call was doing ("downloading 12 files"), or null
   * @param silence how long the remote was silent
   */
  public RemoteStalledException(String doing, Duration silence) {
    super(
        "nothing from the server for "
            + seconds(silence)
            + (doing != null ? " while " + doing : ""));
    this.doing = doing;
    this.silence = Objects.requireNonNull(silence, "silence");
  }

  /** What the call was doing when the remote went silent, or null. */
  public String doing() {
    return doing;
  }

  /** How long the remote was silent before the call was given up. */
  public Duration silence() {
    return silence;
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0
        ? (ms / 1000) + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
