package io.vaultsync.transport.grpc;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.transport.grpc.v1.ChangesSinceResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Sends a change feed's deliveries down one Subscribe call, in messages of at most {@link
 * WireLimits#CHANGES_PAGE_BYTES}, never blocking the feed: while the client is not reading, the
 * sender's queue fills, {@link #ready} says no and the feed stops pumping for this subscriber until
 * the queue drains.
 */
final class ChangeForwarder implements ChangeListener {
  private final FlowControlledSender<ChangesSinceResponse> sender;

  /** Whether the client asked for folder moves (each message says so, as ChangesSince's do). */
  private final boolean folderMoves;

  ChangeForwarder(FlowControlledSender<ChangesSinceResponse> sender, boolean folderMoves) {
    this.sender = sender;
    this.folderMoves = folderMoves;
  }

  @Override
  public boolean ready() {
    return sender.hasRoom();
  }

  @Override
  public void onChanges(List<Change> changes, long headSeq) {
    try {
      for (var page : ResponsePages.changes(changes)) {
        sender.offer(
            ChangesSinceResponse.newBuilder()
                .setHeadSeq(headSeq)
                .setFolderMoves(folderMoves)
                .addAllChanges(page)
                .build());
      }
    } catch (IOException e) {
      // The call was cancelled: ending the feed subscription is all that is left.
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onClosed(IOException cause) {
    sender.fail(cause);
  }
}
