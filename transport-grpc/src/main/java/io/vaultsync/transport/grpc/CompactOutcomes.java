package io.vaultsync.transport.grpc;

import com.google.protobuf.ByteString;
import io.vaultsync.transport.grpc.v1.Change;
import io.vaultsync.transport.grpc.v1.Mutation;
import io.vaultsync.transport.grpc.v1.Outcome;

/**
 * {@code CommitRequest.compact_outcomes}: an applied outcome leaves out what the client sent in its
 * mutation. The server clears a field only when it equals the mutation's: {@code path} (a Put's or
 * Delete's path, a Move's {@code to}), {@code previous_path} (a Move's path) and {@code hash} (a
 * Delete's or Move's expected hash); the client fills every empty one back in from the same
 * mutation. A recorded change never has an empty path or hash, and only a MOVE has a previous path,
 * so an empty field can only mean "as in the mutation". For a batch of 50 moves this drops ~100
 * bytes per outcome (a 32-byte hash, which gzip cannot shrink, and two paths) from the response.
 */
final class CompactOutcomes {
  private CompactOutcomes() {}

  /** Server side: {@code outcome} without the fields equal to {@code mutation}'s. */
  static Outcome compact(Mutation mutation, Outcome outcome) {
    if (!outcome.hasApplied()) {
      return outcome;
    }
    Change c = outcome.getApplied();
    Change.Builder b = c.toBuilder();
    if (c.getPath().equals(path(mutation))) {
      b.clearPath();
    }
    if (c.getPreviousPath().equals(previousPath(mutation))) {
      b.clearPreviousPath();
    }
    ByteString expected = expected(mutation);
    if (!expected.isEmpty() && c.getHash().equals(expected)) {
      b.clearHash();
    }
    return outcome.toBuilder().setApplied(b).build();
  }

  /** Client side: {@code outcome} with its empty fields filled in from {@code mutation}. */
  static Outcome expand(Mutation mutation, Outcome outcome) {
    if (!outcome.hasApplied()) {
      return outcome;
    }
    Change c = outcome.getApplied();
    Change.Builder b = c.toBuilder();
    if (c.getPath().isEmpty()) {
      b.setPath(path(mutation));
    }
    if (c.getPreviousPath().isEmpty()) {
      b.setPreviousPath(previousPath(mutation));
    }
    if (c.getHash().isEmpty()) {
      b.setHash(expected(mutation));
    }
    return outcome.toBuilder().setApplied(b).build();
  }

  /** Where the mutation leaves its file. */
  private static String path(Mutation m) {
    return switch (m.getKindCase()) {
      case PUT -> m.getPut().getPath();
      case DELETE -> m.getDelete().getPath();
      case MOVE -> m.getMove().getTo();
      case MOVE_FOLDER -> m.getMoveFolder().getTo();
      case KIND_NOT_SET -> "";
    };
  }

  /** Where a move's file (or folder) was; empty for others, which record no previous path. */
  private static String previousPath(Mutation m) {
    return switch (m.getKindCase()) {
      case MOVE -> m.getMove().getPath();
      case MOVE_FOLDER -> m.getMoveFolder().getPath();
      default -> "";
    };
  }

  /** The content the mutation expects, which a Delete or Move records; empty for a Put. */
  private static ByteString expected(Mutation m) {
    return switch (m.getKindCase()) {
      case DELETE -> m.getDelete().getExpected();
      case MOVE -> m.getMove().getExpected();
      case MOVE_FOLDER -> m.getMoveFolder().getRoot();
      default -> ByteString.EMPTY;
    };
  }
}
