package io.vaultsync.protocol;

import java.util.Objects;

/**
 * The remote refused to store a file at a path no client could hold ({@code
 * io.vaultsync.model.tree.TreeShape}): below a file, where a folder of files is, or under a
 * client-internal name. What a push throws where a commit answers {@link Outcome.Refused}. Retrying
 * cannot help; the file is named as not synced until it is renamed.
 */
public final class PathRefusedException extends TransportException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String reason;

  /**
   * @param vault the vault
   * @param path the refused path
   * @param reason why, for people
   */
  public PathRefusedException(String vault, String path, String reason) {
    super("vault \"" + vault + "\" refused \"" + path + "\": " + reason);
    this.path = Objects.requireNonNull(path, "path");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The refused path. */
  public String path() {
    return path;
  }

  /** Why, for people. */
  public String reason() {
    return reason;
  }
}
