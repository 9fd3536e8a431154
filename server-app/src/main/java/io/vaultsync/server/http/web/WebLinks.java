package io.vaultsync.server.http.web;

import io.vaultsync.model.tree.NotePath;

/**
 * The owner pages' URLs, in one place. Vault names go into the path (they are {@code
 * [A-Za-z0-9._-]}), note paths into a query parameter, percent-encoded here and decoded once by the
 * server, then checked by {@link NotePath#of}.
 */
final class WebLinks {
  private WebLinks() {}

  static String vaults() {
    return "/";
  }

  /** A folder of {@code vault} (null: its root). */
  static String folder(String vault, NotePath dir) {
    return HtmlWriter.url("/v/" + HtmlWriter.encode(vault) + "/", "dir", value(dir));
  }

  /** A file's page, at its head ({@code seq} 0) or as it was at {@code seq}. */
  static String file(String vault, NotePath path, long seq) {
    return ofFile(vault, "file", path, "seq", seqOrHead(seq));
  }

  /** A file's older history: versions before {@code beforeSeq}. */
  static String olderVersions(String vault, NotePath path, long beforeSeq) {
    return ofFile(vault, "file", path, "before", Long.toString(beforeSeq));
  }

  /** The bytes of a file as they were right after {@code seq} (0: head), as an attachment. */
  static String raw(String vault, NotePath path, long seq) {
    return ofFile(vault, "raw", path, "seq", seqOrHead(seq));
  }

  /** {@code /v/VAULT/PAGE?path=PATH&KEY=VALUE} (no {@code KEY} if {@code value} is null). */
  private static String ofFile(String vault, String page, NotePath path, String key, String value) {
    return HtmlWriter.url(
        "/v/" + HtmlWriter.encode(vault) + "/" + page, "path", path.value(), key, value);
  }

  private static String seqOrHead(long seq) {
    return seq > 0 ? Long.toString(seq) : null;
  }

  /** A zip of {@code vault} or one folder of it (null: all), at its head. */
  static String zip(String vault, NotePath dir) {
    return HtmlWriter.url("/api/vaults/" + HtmlWriter.encode(vault) + "/zip", "path", value(dir));
  }

  /** The vault's share links. */
  static String shares(String vault) {
    return "/v/" + HtmlWriter.encode(vault) + "/shares";
  }

  /** The form to share {@code path} (a file or a folder). */
  static String newShare(String vault, NotePath path) {
    return HtmlWriter.url(shares(vault) + "/new", "path", path.value());
  }

  private static String value(NotePath p) {
    return p == null ? null : p.value();
  }
}
