package io.vaultsync.server.s3;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where a store keeps its packs: a bucket and a key prefix, from a URL {@code s3://bucket} or
 * {@code s3://bucket/prefix}. Pack keys are {@code <prefix>packs/<id>.pack}; nothing else under the
 * prefix is touched, so several stores (or other data) may share a bucket under distinct prefixes.
 *
 * @param bucket the bucket's name (3 to 63 characters: lower-case letters, digits, dots and dashes)
 * @param prefix empty, or a key prefix ending in {@code /}
 */
public record S3Location(String bucket, String prefix) {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final String PACKS = "packs/";
  private static final String PACK_SUFFIX = ".pack";

  public S3Location {
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException(
          "bucket name \""
              + bucket
              + "\" is not valid: expected 3 to 63 lower-case letters, digits, dots or dashes");
    }
    if (prefix == null || (!prefix.isEmpty() && !prefix.endsWith("/")) || prefix.startsWith("/")) {
      throw new IllegalArgumentException(
          "key prefix \"" + prefix + "\" must be empty or end with / (and not start with one)");
    }
  }

  /**
   * Parses {@code s3://bucket} or {@code s3://bucket/prefix} (a trailing {@code /} is optional).
   *
   * @throws IllegalArgumentException naming the URL when it is not one of those
   */
  public static S3Location parse(URI url) {
    if (url == null || !"s3".equalsIgnoreCase(url.getScheme()) || url.getRawAuthority() == null) {
      throw new IllegalArgumentException(
          "object store URL " + url + " is not s3://bucket or s3://bucket/prefix");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "object store URL "
              + url
              + " has a user, query or fragment; expected s3://bucket or s3://bucket/prefix");
    }
    String path = url.getPath() == null ? "" : url.getPath();
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (!path.isEmpty() && !path.endsWith("/")) {
      path = path + "/";
    }
    try {
      return new S3Location(url.getRawAuthority(), path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("object store URL " + url + ": " + e.getMessage(), e);
    }
  }

  /** The prefix every pack key starts with. */
  String packsPrefix() {
    return prefix + PACKS;
  }

  /** The key of the pack {@code id}. */
  String packKey(String id) {
    return packsPrefix() + id + PACK_SUFFIX;
  }

  /** Whether {@code key} is a pack key of this store (what an orphan sweep may delete). */
  boolean isPackKey(String key) {
    return key.startsWith(packsPrefix())
        && key.endsWith(PACK_SUFFIX)
        && key.indexOf('/', packsPrefix().length()) < 0;
  }

  /** The URL, for messages. */
  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }
}
