package io.vaultsync.protocol;

import java.util.List;

/** Every file of a vault at sequence number {@code headSeq}, in path order. */
public record RemoteManifest(long headSeq, List<RemoteEntry> entries) {
  public RemoteManifest {
    entries = List.copyOf(entries);
  }
}
