package io.vaultsync.protocol;

/**
 * A remote refused a commit or push because the vault would keep more than its storage quota.
 * Nothing of the call was stored. Uploads to the vault fail the same way until the quota is raised
 * or old versions are thinned and their content reclaimed; moves and deletes still go through.
 */
public final class QuotaExceededException extends TransportException {
  private static final long serialVersionUID = 1L;

  private final String vault;
  private final long usage;
  private final long adding;
  private final long quota;

  /**
   * @param vault the vault
   * @param usage what the vault keeps now, in bytes (the remote's definition of usage)
   * @param adding what the refused call would have added, at least
   * @param quota the vault's quota
   */
  public QuotaExceededException(String vault, long usage, long adding, long quota) {
    super(
        "vault "
            + vault
            + " would go over its storage quota: it keeps "
            + ByteSizes.describe(usage)
            + " of "
            + ByteSizes.describe(quota)
            + " and this upload adds at least "
            + ByteSizes.describe(adding)
            + ", so nothing of it was stored. Ask the server's operator to raise the quota"
            + " ('vaultsync server quota --vault "
            + vault
            + " --set SIZE'), or let retention thin old versions and content GC reclaim them");
    this.vault = vault;
    this.usage = usage;
    this.adding = adding;
    this.quota = quota;
  }

  /** The vault. */
  public String vault() {
    return vault;
  }

  /** Bytes the vault keeps now. */
  public long usage() {
    return usage;
  }

  /** Bytes the refused call would have added, at least. */
  public long adding() {
    return adding;
  }

  /** The vault's quota in bytes. */
  public long quota() {
    return quota;
  }
}
