package io.vaultsync.client.merge;

import java.nio.charset.StandardCharsets;

/**
 * The outcome of a {@link TextMerge}: the merged text, or a conflict (null text).
 *
 * @param text the merged text, or null when both sides changed the same lines differently
 */
public record MergeResult(String text) {
  static MergeResult clean(String text) {
    return new MergeResult(java.util.Objects.requireNonNull(text, "text"));
  }

  static MergeResult conflict() {
    return new MergeResult(null);
  }

  /** Whether the merge succeeded. */
  public boolean isClean() {
    return text != null;
  }

  /** The merged text as UTF-8 bytes. */
  public byte[] bytes() {
    if (text == null) {
      throw new IllegalStateException("a conflicting merge has no merged text");
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
