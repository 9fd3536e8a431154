package io.vaultsync.transport.grpc;

import io.vaultsync.core.format.RawLiteralOutput;
import io.vaultsync.protocol.FetchReceiver;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A {@link FetchReceiver} that passes each item's delta on with raw literals ({@link
 * RawLiteralOutput}): for a FetchMany answered with zstd-compressed messages, where zstd packs the
 * raw text of many notes far tighter than each note's own LZ4 blocks.
 */
final class RawLiteralReceiver implements FetchReceiver {
  private final FetchReceiver target;

  RawLiteralReceiver(FetchReceiver target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  @Override
  public OutputStream begin(int index) throws IOException {
    return new RawLiteralOutput(target.begin(index));
  }

  @Override
  public void end(int index) throws IOException {
    target.end(index);
  }

  @Override
  public void notFound(int index, String message) throws IOException {
    target.notFound(index, message);
  }

  @Override
  public boolean abandon(int index) throws IOException {
    return target.abandon(index);
  }
}
