package io.vaultsync.transport.grpc;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Where and how large the service stages UploadPart uploads (Push and GiveBack in unary parts, for
 * clients that cannot stream): files under {@code folder}, which the service owns (it deletes the
 * staging files a previous process left there), each upload's delta at most {@link
 * #maxDeltaBytes()}.
 *
 * @param folder a folder of the server's own (the server passes {@code DATA/tmp/uploads}); created
 *     when missing
 * @param maxFileBytes the server's largest file (its {@code --max-file-size}); bounds a delta as
 *     Push bounds what it writes
 * @param clock tells when an upload went idle (tests inject one)
 */
public record UploadSettings(Path folder, long maxFileBytes, Clock clock) {
  public UploadSettings {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(clock, "clock");
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException(
          "largest file of " + maxFileBytes + " bytes; expected at least 1");
    }
  }

  /** Staging in {@code folder} for files of at most {@code maxFileBytes}, on the system clock. */
  public static UploadSettings of(Path folder, long maxFileBytes) {
    return new UploadSettings(folder, maxFileBytes, Clock.systemUTC());
  }

  /**
   * The longest delta an upload may stage: the largest file plus what the delta format may add to
   * content that does not compress (LZ4's worst case is ~0.4%; docs/FORMAT.md's framing is a few
   * bytes per op), saturating at {@link Long#MAX_VALUE}.
   */
  public long maxDeltaBytes() {
    long slack = maxFileBytes / 64 + (64 << 10);
    return maxFileBytes > Long.MAX_VALUE - slack ? Long.MAX_VALUE : maxFileBytes + slack;
  }
}
