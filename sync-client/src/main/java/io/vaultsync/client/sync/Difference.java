package io.vaultsync.client.sync;

import io.vaultsync.model.tree.NotePath;
import java.util.Objects;

/**
 * One path where a folder and its server differ, as {@code vaultsync verify} names it.
 *
 * @param path the path
 * @param where where the file is: only in the folder, only on the server, or on both with different
 *     content
 * @param cause why, judged against the index's base (what both had at the last sync)
 */
public record Difference(NotePath path, Where where, Cause cause) {
  /** Where the file is. */
  public enum Where {
    ONLY_HERE("only here"),
    ONLY_ON_SERVER("only on the server"),
    DIFFERENT_CONTENT("different content");

    private final String text;

    Where(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** Why the two differ. */
  public enum Cause {
    /** The folder changed since the last sync and the server did not: a sync uploads it. */
    PENDING_LOCAL_CHANGE("pending local change"),
    /** The server changed since the last sync and the folder did not: a sync downloads it. */
    CLIENT_BEHIND("client is behind"),
    /** Both changed since the last sync: a sync merges or keeps both. */
    BOTH_CHANGED("both changed since the last sync");

    private final String text;

    Cause(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public Difference {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(cause, "cause");
  }

  /** E.g. {@code only on the server: Inbox.md (client is behind)}. */
  public String describe() {
    return where.text() + ": " + path + " (" + cause.text() + ")";
  }
}
