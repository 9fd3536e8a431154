package io.vaultsync.protocol;

import io.vaultsync.core.hash.ContentHash;
import java.util.Objects;

/**
 * One file of a {@link VaultTransport#fetchMany batched fetch}: the delta that turns the content
 * {@code base} (null: empty) into the content {@code target}.
 */
public record FetchItem(ContentHash target, ContentHash base) {
  public FetchItem {
    Objects.requireNonNull(target, "target");
  }

  @Override
  public String toString() {
    return "FetchItem[" + target.hex() + " from " + (base == null ? "empty" : base.hex()) + "]";
  }
}
