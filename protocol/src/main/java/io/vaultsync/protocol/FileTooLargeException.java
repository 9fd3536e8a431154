package io.vaultsync.protocol;

/**
 * A remote refused to store a file because it would be larger than the remote accepts (its per-file
 * limit). Nothing of the call was stored. The file itself is fine; the client reports it as not
 * synced, by name, and goes on with the others.
 */
public final class FileTooLargeException extends TransportException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final long reached;
  private final long limit;

  /**
   * @param vault the vault
   * @param path the file's path in the vault
   * @param reached the size the file would have had at least (the remote stops reading the delta
   *     where it crosses the limit)
   * @param limit the remote's largest file
   */
  public FileTooLargeException(String vault, String path, long reached, long limit) {
    super(
        "file \""
            + path
            + "\" in vault "
            + vault
            + " would be at least "
            + ByteSizes.describe(reached)
            + "; the server stores files of at most "
            + ByteSizes.describe(limit)
            + " (its --max-file-size), so it was not stored. Keep it out of the vault"
            + " (.vaultsyncignore) or ask the server's operator to raise the limit");
    this.path = path;
    this.reached = reached;
    this.limit = limit;
  }

  /** The file's path in the vault. */
  public String path() {
    return path;
  }

  /** The size the file would have reached, at least. */
  public long reached() {
    return reached;
  }

  /** The remote's largest file. */
  public long limit() {
    return limit;
  }
}
