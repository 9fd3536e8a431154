package io.vaultsync.server.http.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.server.ledger.VaultName;

/**
 * Request parameters of the owner pages, checked: a bad value is an {@link
 * IllegalArgumentException} naming it, which the endpoint answers with a 400.
 */
final class WebParams {
  /** Longest parameter value looked at (a note path is at most 4,096 bytes). */
  static final int MAX_CHARS = 8192;

  private WebParams() {}

  /** The {@code {vault}} path parameter. */
  static VaultName vault(Context ctx) {
    return VaultName.of(bounded("vault", ctx.pathParam("vault")));
  }

  /** A required note path in query or form parameter {@code name}. */
  static NotePath path(Context ctx, String name) {
    NotePath p = optionalPath(ctx, name);
    if (p == null) {
      throw new IllegalArgumentException("parameter \"" + name + "\" (a note path) is required");
    }
    return p;
  }

  /** An optional note path (absent or empty: null). */
  static NotePath optionalPath(Context ctx, String name) {
    String v = param(ctx, name);
    return v == null || v.isEmpty() ? null : NotePath.of(v);
  }

  /** An optional sequence number {@code >= 1} (absent or empty: 0). */
  static long optionalSeq(Context ctx, String name) {
    String v = param(ctx, name);
    if (v == null || v.isEmpty()) {
      return 0;
    }
    long seq;
    try {
      seq = Long.parseLong(v);
    } catch (NumberFormatException e) {
      seq = -1;
    }
    if (seq < 1) {
      throw new IllegalArgumentException(
          "parameter \"" + name + "\" is \"" + v + "\"; expected a sequence number >= 1");
    }
    return seq;
  }

  /** A query or (for POSTs) form parameter, bounded in length; null if absent. */
  static String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null && ctx.method() == HandlerType.POST) {
      v = ctx.formParam(name);
    }
    return v == null ? null : bounded(name, v);
  }

  private static String bounded(String name, String v) {
    if (v.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "parameter \"" + name + "\" has " + v.length() + " characters; at most " + MAX_CHARS);
    }
    return v;
  }
}
