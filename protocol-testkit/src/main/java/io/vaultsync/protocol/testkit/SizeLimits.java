package io.vaultsync.protocol.testkit;

/**
 * The sizes a remote refuses to store: files larger than {@code maxFileBytes} ({@link
 * io.vaultsync.protocol.FileTooLargeException}) and uploads that would take a vault past {@code
 * vaultQuotaBytes} ({@link io.vaultsync.protocol.QuotaExceededException}). A vault's usage is the
 * total size of the distinct contents its history names, each once at its full size, as on the
 * vaultsync server.
 *
 * @param maxFileBytes the largest file, in bytes
 * @param vaultQuotaBytes each vault's quota, in bytes
 */
public record SizeLimits(long maxFileBytes, long vaultQuotaBytes) {
  /** No limit but what a {@code long} holds. */
  public static final SizeLimits NONE = new SizeLimits(Long.MAX_VALUE, Long.MAX_VALUE);

  public SizeLimits {
    if (maxFileBytes < 1 || vaultQuotaBytes < 1) {
      throw new IllegalArgumentException(
          "largest file "
              + maxFileBytes
              + " bytes, vault quota "
              + vaultQuotaBytes
              + " bytes; expected at least 1 each");
    }
  }
}
