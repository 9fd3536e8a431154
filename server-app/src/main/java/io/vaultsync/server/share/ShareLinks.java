package io.vaultsync.server.share;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.ShareInfo;
import io.vaultsync.server.auth.DeviceTokens;
import io.vaultsync.server.ledger.FileVersion;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Private share links: made by a device for one file or folder of a vault, opened by anyone who has
 * the URL. The URL carries a token of 32 random bytes (base64url); only its SHA-256 is stored.
 *
 * <p><b>Identity.</b> A file share is bound to the file's stable id ({@code
 * VersionHistory.fileIdAt} at creation): it serves the file at the shared path only while the file
 * there has that id, so edits show, but a file deleted and created again at the same path (a new
 * id) is not shared, and a moved file is no longer served at its old link (the link follows the
 * path and the identity, never a different file). A folder share serves the files under the
 * folder's path at the head (a folder has no id of its own in this model).
 *
 * <p>Thread-safe.
 */
public final class ShareLinks {
  /** Longest lifetime a link may be given. */
  public static final Duration MAX_LIFETIME = Duration.ofDays(3650);

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The vaults' heads and version history, which links point into. */
  private final LedgerStore ledger;

  private final ShareStore store;
  private final Clock clock;
  private volatile URI baseUrl;

  public ShareLinks(LedgerStore ledger, ShareStore store, Clock clock) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Sets the public base URL links start with (the HTTP endpoint's); until then none are made. */
  public void baseUrl(URI url) {
    String s = url.toString();
    this.baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  /**
   * Makes a link to {@code path} (a file or a folder at the head of {@code vault}).
   *
   * @param expires when it stops working, or null for never
   * @param password a password the opener must type, or null
   * @throws NotFoundException if nothing is at or under {@code path}
   * @throws InvalidRequestException if the expiry is not in the future or too far, or the server
   *     serves no HTTP
   */
  public CreatedShare create(
      VaultName vault, NotePath path, Instant expires, char[] password, String device)
      throws IOException {
    URI base = baseUrl;
    if (base == null) {
      throw new InvalidRequestException(
          "share links need the server's HTTP endpoint: start it with --http ADDR");
    }
    Instant now = clock.instant();
    if (expires != null && (!expires.isAfter(now) || expires.isAfter(now.plus(MAX_LIFETIME)))) {
      throw new InvalidRequestException(
          "share expiry " + expires + " is not between now and " + MAX_LIFETIME.toDays() + " days");
    }
    String passwordHash = password == null ? null : PasswordHasher.hash(password);
    OptionalLong fileId = ledger.history().fileIdAt(vault, path, Long.MAX_VALUE);
    boolean folder = fileId.isEmpty();
    if (folder && folderFiles(vault, path).isEmpty()) {
      throw new NotFoundException("no file or folder \"" + path + "\" in vault \"" + vault + "\"");
    }
    String token = DeviceTokens.newToken();
    Share share =
        new Share(
            newId(),
            vault,
            path,
            folder,
            folder ? 0 : fileId.getAsLong(),
            now,
            device,
            expires,
            passwordHash,
            false);
    store.insert(share, tokenHash(token));
    return new CreatedShare(share.info(), base + "/s/" + token);
  }

  /** The vault's links, newest first. */
  public List<ShareInfo> list(VaultName vault) throws IOException {
    ledger.history().seqAt(vault, clock.instant()); // NotFoundException for an unknown vault
    List<ShareInfo> out = new ArrayList<>();
    for (Share s : store.list(vault)) {
      out.add(s.info());
    }
    return out;
  }

  /**
   * Revokes the link {@code id} of {@code vault}.
   *
   * @throws NotFoundException if the vault has no link with that id
   */
  public void revoke(VaultName vault, String id) throws IOException {
    if (id == null || !ID.matcher(id).matches() || !store.revoke(vault, id)) {
      throw new NotFoundException("vault \"" + vault + "\" has no share link \"" + id + "\"");
    }
  }

  /** The live (not revoked, not expired) share the token opens, if any. */
  public Optional<Share> open(String token) throws IOException {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return Optional.empty();
    }
    return store.findByTokenHash(tokenHash(token)).filter(s -> s.liveAt(clock.instant()));
  }

  /**
   * The current version of a file share's file: the head version at its path if that file still has
   * the shared id; empty otherwise (deleted, moved away, or a different file now).
   */
  public Optional<RemoteEntry> sharedFile(Share share) throws IOException {
    if (share.folder()) {
      return Optional.empty();
    }
    List<FileVersion> newest =
        ledger.history().versions(share.vault(), share.path(), Long.MAX_VALUE, 1);
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    FileVersion v = newest.get(0);
    if (!v.path().equals(share.path())
        || v.op() == Change.Op.DELETE
        || v.fileId() != share.fileId()) {
      return Optional.empty();
    }
    return Optional.of(new RemoteEntry(v.path(), v.hash(), v.size(), v.seq()));
  }

  /** The files under a folder share at the head, in path order. */
  public List<RemoteEntry> sharedFolder(Share share) throws IOException {
    return share.folder() ? folderFiles(share.vault(), share.path()) : List.of();
  }

  private List<RemoteEntry> folderFiles(VaultName vault, NotePath folder) throws IOException {
    String prefix = folder.value() + "/";
    List<RemoteEntry> out = new ArrayList<>();
    for (RemoteEntry e : ledger.manifest(vault).entries()) {
      if (e.path().value().startsWith(prefix) && TreeShape.internalName(e.path()).isEmpty()) {
        out.add(e); // never a name no client can hold (.vaultsync/..., .vstmp-*)
      }
    }
    return out;
  }

  /** Whether {@code password} opens {@code share} (false if it has none). */
  public static boolean passwordMatches(Share share, char[] password) {
    return share.passwordHash() != null && PasswordHasher.matches(password, share.passwordHash());
  }

  static byte[] tokenHash(String token) {
    return ContentHash.digestOf(token.getBytes(StandardCharsets.UTF_8)).toBytes();
  }

  /**
   * A short public handle (48 random bits as hex). Hex, not base64url: an id starting with '-'
   * would read as an option on the command line ({@code vaultsync share revoke DIR ID}).
   */
  private static String newId() {
    byte[] raw = new byte[6];
    RANDOM.nextBytes(raw);
    return java.util.HexFormat.of().formatHex(raw);
  }
}
