package io.vaultsync.protocol;

import java.util.Objects;

/**
 * A share link just made: its description and its URL, which holds the secret token. The URL is
 * shown only here; the remote keeps only a hash of the token.
 */
public record CreatedShare(ShareInfo info, String url) {
  public CreatedShare {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(url, "url");
  }

  @Override
  public String toString() {
    return "CreatedShare[" + info.id() + "]"; // never the URL's token in logs
  }
}
