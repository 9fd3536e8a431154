package io.vaultsync.server.limits;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.QuotaExceededException;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's {@link UploadLimits}: the largest file from {@link StorageLimits}, and each vault's
 * quota (its own from {@link SqlQuotaStore}, else the server's default) against its usage.
 *
 * <p>Cost: usage is a query over the vault's history, so it is not run per commit. Each vault's
 * usage is cached and every recorded call adds what it staged (counting content the vault already
 * keeps again, so the cache can only over-estimate); only when a call would take that estimate past
 * the quota is the usage computed exactly, with the contents the vault keeps, and the call refused
 * if it still does not fit. A vault far below its quota thus costs one small query per call (its
 * quota). The cache is recomputed after {@link #USAGE_TTL} (thinning by {@code vaultsync server
 * retention} in another process lowers usage) and dropped by {@link #forget} (after this server's
 * own thinning or GC). Thread-safe.
 */
public final class VaultQuotas implements UploadLimits {
  /** How long a cached usage is trusted before it is computed again. */
  static final Duration USAGE_TTL = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(VaultQuotas.class);

  private final QuotaStore store;
  private final StorageLimits limits;
  private final Map<VaultName, long[]> usage = new ConcurrentHashMap<>(); // {bytes, nanoTime}

  public VaultQuotas(QuotaStore store, StorageLimits limits) {
    this.store = Objects.requireNonNull(store, "store");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The limits this server applies. */
  public StorageLimits limits() {
    return limits;
  }

  @Override
  public long maxFileBytes() {
    return limits.maxFileBytes();
  }

  /** The quota that applies to {@code vault}: its own, else the server's default; empty: none. */
  public OptionalLong quota(VaultName vault) throws IOException {
    OptionalLong own = store.quota(vault);
    return own.isPresent() ? own : limits.defaultQuota();
  }

  /** The vault's usage now, computed (see {@link SqlQuotaStore}). */
  public long usage(VaultName vault) throws IOException {
    return store.usage(vault);
  }

  /** Drops every cached usage (after thinning or GC lowered it). */
  public void forget() {
    usage.clear();
  }

  @Override
  public Account account(VaultName vault) {
    return new QuotaAccount(vault);
  }

  private long cachedUsage(VaultName vault) throws IOException {
    long[] c = usage.get(vault);
    if (c == null || System.nanoTime() - c[1] > USAGE_TTL.toNanos()) {
      c = new long[] {store.usage(vault), System.nanoTime()};
      usage.put(vault, c);
    }
    return c[0];
  }

  /** One call's account. Used by one thread, under the vault's lock. */
  private final class QuotaAccount implements Account {
    private final VaultName vault;
    private OptionalLong quota;
    private long base = -1;
    private Set<ContentHash> kept;
    private final Map<ContentHash, Long> adding = new HashMap<>();
    private long addingBytes;

    QuotaAccount(VaultName vault) {
      this.vault = vault;
    }

    @Override
    public void add(ContentHash hash, long size) throws IOException {
      if (quota == null) {
        quota = quota(vault);
      }
      if (quota.isEmpty() || adding.containsKey(hash) || (kept != null && kept.contains(hash))) {
        return;
      }
      adding.put(hash, size);
      addingBytes += size;
      if (base < 0) {
        base = cachedUsage(vault);
      }
      long q = quota.getAsLong();
      if (base + addingBytes <= q) {
        return;
      }
      if (kept == null) {
        QuotaStore.Usage exact = store.usageWithContents(vault);
        kept = exact.contents();
        base = exact.bytes();
        usage.put(vault, new long[] {base, System.nanoTime()});
        adding.keySet().removeIf(kept::contains);
        addingBytes = adding.values().stream().mapToLong(Long::longValue).sum();
      }
      if (base + addingBytes > q) {
        log.warn(
            "refused an upload to vault {}: it keeps {} bytes, the upload adds at least {}, its"
                + " quota is {}",
            vault,
            base,
            addingBytes,
            q);
        throw new QuotaExceededException(vault.value(), base, addingBytes, q);
      }
    }

    @Override
    public void recorded() {
      if (addingBytes > 0) {
        usage.computeIfPresent(vault, (v, c) -> new long[] {c[0] + addingBytes, c[1]});
      }
    }
  }
}
