package io.vaultsync.transport.grpc;

import com.google.protobuf.ByteString;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.MerkleRoot;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.MessageText;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.transport.grpc.v1.ChangesSinceResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Protobuf messages to delta-core values: the one place that reads {@code vaultsync.v1} messages.
 * Every message may come from a hostile peer, so every field is checked before use: hashes must be
 * exactly 32 bytes, paths canonical {@link NotePath}s (already in NFC), vault names bounded, counts
 * and sequence numbers in range. A bad field throws {@link IllegalArgumentException} whose message
 * names the field and the value (quoted values are cut to a printable length).
 */
final class FromProto {
  /** Longest vault name accepted, in chars. */
  static final int MAX_VAULT_NAME_CHARS = io.vaultsync.protocol.VaultNames.MAX_CHARS;

  private FromProto() {}

  /** A vault name: 1 to {@value #MAX_VAULT_NAME_CHARS} chars, no control characters. */
  static String vault(String name) {
    return io.vaultsync.protocol.VaultNames.check(name);
  }

  /** A canonical note path; {@code field} names it in the message. */
  static NotePath path(String field, String value) {
    NotePath path = NotePath.of(value);
    if (!path.value().equals(value)) {
      throw new IllegalArgumentException(
          field + " \"" + MessageText.quote(value) + "\" is not in canonical form (Unicode NFC)");
    }
    return path;
  }

  /** A required hash: exactly {@value ContentHash#LENGTH} bytes. */
  static ContentHash hash(String field, ByteString bytes) {
    if (bytes.size() != ContentHash.LENGTH) {
      throw new IllegalArgumentException(
          field + " of " + bytes.size() + " bytes; expected " + ContentHash.LENGTH);
    }
    return ContentHash.of(bytes.toByteArray());
  }

  /** An optional hash: empty means none (null). */
  static ContentHash optionalHash(String field, ByteString bytes) {
    return bytes.isEmpty() ? null : hash(field, bytes);
  }

  static RemoteEntry entry(io.vaultsync.transport.grpc.v1.RemoteEntry e) {
    return new RemoteEntry(
        path("entry path", e.getPath()), hash("entry hash", e.getHash()), e.getSize(), e.getSeq());
  }

  static Change change(io.vaultsync.transport.grpc.v1.Change c) {
    Change.Op op =
        switch (c.getOp()) {
          case CHANGE_OP_PUT -> Change.Op.PUT;
          case CHANGE_OP_DELETE -> Change.Op.DELETE;
          case CHANGE_OP_MOVE -> Change.Op.MOVE;
          case CHANGE_OP_MOVE_FOLDER -> Change.Op.MOVE_FOLDER;
          default ->
              throw new IllegalArgumentException(
                  "change op " + c.getOpValue() + " at seq " + c.getSeq() + "; expected 1 to 4");
        };
    boolean move = op == Change.Op.MOVE || op == Change.Op.MOVE_FOLDER;
    NotePath previous = move ? path("change previous path", c.getPreviousPath()) : null;
    if (!move && !c.getPreviousPath().isEmpty()) {
      throw new IllegalArgumentException(
          op + " at seq " + c.getSeq() + " has a previous path; only a move has one");
    }
    if (c.getConfirmed() && op != Change.Op.DELETE) {
      throw new IllegalArgumentException(
          op + " at seq " + c.getSeq() + " is marked confirmed; only a DELETE is");
    }
    return new Change(
        c.getSeq(),
        op,
        path("change path", c.getPath()),
        previous,
        hash("change hash", c.getHash()),
        c.getSize(),
        c.getDevice(),
        Instant.ofEpochMilli(c.getTimeMillis()),
        c.getConfirmed());
  }

  /**
   * A History request's arguments: an optional canonical path (empty: the whole vault), {@code
   * before_seq >= 1}, a limit of 1 to {@link io.vaultsync.protocol.Limits#HISTORY_VERSIONS}.
   */
  static NotePath historyPath(io.vaultsync.transport.grpc.v1.HistoryRequest r)
      throws io.vaultsync.protocol.InvalidRequestException {
    io.vaultsync.protocol.VaultTransport.checkHistoryArguments(r.getBeforeSeq(), r.getLimit());
    return r.getPath().isEmpty() ? null : path("history path", r.getPath());
  }

  /**
   * A History answer for a request of {@code path} (null: any), {@code beforeSeq} and {@code
   * limit}: at most {@code limit} versions, seqs strictly decreasing below {@code beforeSeq}, each
   * about {@code path}.
   */
  static List<Change> history(
      io.vaultsync.transport.grpc.v1.HistoryResponse r, NotePath path, long beforeSeq, int limit) {
    if (r.getVersionsCount() > limit) {
      throw new IllegalArgumentException(
          r.getVersionsCount() + " versions for a limit of " + limit);
    }
    List<Change> out = new ArrayList<>(r.getVersionsCount());
    long below = beforeSeq;
    for (io.vaultsync.transport.grpc.v1.Change c : r.getVersionsList()) {
      Change v = change(c);
      if (v.seq() >= below) {
        throw new IllegalArgumentException(
            "version at seq " + v.seq() + " after one below " + below + "; expected newest first");
      }
      if (path != null && !path.equals(v.path()) && !path.equals(v.previousPath())) {
        throw new IllegalArgumentException(
            "version of \"" + MessageText.quote(v.path().value()) + "\" in the history of " + path);
      }
      below = v.seq();
      out.add(v);
    }
    return out;
  }

  static ChangePage changePage(ChangesSinceResponse r) {
    List<Change> changes = new ArrayList<>(r.getChangesCount());
    for (io.vaultsync.transport.grpc.v1.Change c : r.getChangesList()) {
      changes.add(change(c));
    }
    if (r.getHeadSeq() < 0 || r.getHorizonSeq() < 0 || r.getHorizonSeq() > r.getHeadSeq()) {
      throw new IllegalArgumentException(
          "change page with head seq "
              + r.getHeadSeq()
              + " and horizon seq "
              + r.getHorizonSeq()
              + "; expected 0 <= horizon <= head");
    }
    if (r.getWantedCount() > Limits.WANTED_PER_PAGE) {
      throw new IllegalArgumentException(
          "change page wanting "
              + r.getWantedCount()
              + " contents back; at most "
              + Limits.WANTED_PER_PAGE);
    }
    List<ContentHash> wanted = new ArrayList<>(r.getWantedCount());
    for (ByteString h : r.getWantedList()) {
      wanted.add(hash("wanted", h));
    }
    return new ChangePage(changes, r.getHeadSeq(), r.getHorizonSeq(), wanted);
  }

  static VaultRoot vaultRoot(io.vaultsync.transport.grpc.v1.VaultRoot r) {
    return new VaultRoot(r.getSeq(), r.getFiles(), r.getBytes(), merkleRoot(r.getRoot()));
  }

  static SnapshotInfo snapshot(io.vaultsync.transport.grpc.v1.Snapshot s) {
    return new SnapshotInfo(
        s.getSeq(),
        s.getFiles(),
        s.getBytes(),
        merkleRoot(s.getRoot()),
        Instant.ofEpochMilli(s.getTimeMillis()));
  }

  private static MerkleRoot merkleRoot(ByteString bytes) {
    return new MerkleRoot(hash("Merkle root", bytes));
  }

  static VaultInfo vaultInfo(io.vaultsync.transport.grpc.v1.VaultInfo v) {
    return new VaultInfo(
        v.getName(),
        v.getFiles(),
        v.getBytes(),
        v.getHeadSeq(),
        v.hasLastChangeMillis() ? Instant.ofEpochMilli(v.getLastChangeMillis()) : null);
  }

  static Mutation mutation(io.vaultsync.transport.grpc.v1.Mutation m) {
    return switch (m.getKindCase()) {
      case PUT -> {
        var put = m.getPut();
        if (put.getDelta().size() > Limits.INLINE_DELTA_BYTES) {
          throw new IllegalArgumentException(
              "inline delta of "
                  + put.getDelta().size()
                  + " bytes for "
                  + MessageText.quote(put.getPath())
                  + "; at most "
                  + Limits.INLINE_DELTA_BYTES);
        }
        yield new Mutation.Put(
            path("put path", put.getPath()),
            optionalHash("put base", put.getBase()),
            put.getDelta().toByteArray());
      }
      case DELETE ->
          new Mutation.Delete(
              path("delete path", m.getDelete().getPath()),
              hash("delete expected", m.getDelete().getExpected()));
      case MOVE ->
          new Mutation.Move(
              path("move path", m.getMove().getPath()),
              path("move to", m.getMove().getTo()),
              hash("move expected", m.getMove().getExpected()));
      case MOVE_FOLDER ->
          new Mutation.MoveFolder(
              path("move folder path", m.getMoveFolder().getPath()),
              path("move folder to", m.getMoveFolder().getTo()),
              m.getMoveFolder().getFiles(),
              new MerkleRoot(hash("move folder root", m.getMoveFolder().getRoot())));
      case KIND_NOT_SET -> throw new IllegalArgumentException("mutation with no kind set");
    };
  }

  static Outcome outcome(io.vaultsync.transport.grpc.v1.Outcome o) {
    return switch (o.getKindCase()) {
      case APPLIED -> new Outcome.Applied(change(o.getApplied()));
      case STALE ->
          new Outcome.Stale(
              path("stale path", o.getStale().getPath()),
              o.getStale().hasCurrent() ? entry(o.getStale().getCurrent()) : null);
      case REFUSED ->
          new Outcome.Refused(
              path("refused path", o.getRefused().getPath()), reason(o.getRefused().getReason()));
      case KIND_NOT_SET -> throw new IllegalArgumentException("outcome with no kind set");
    };
  }

  /** Longest refusal reason kept, in chars. */
  static final int MAX_REASON_CHARS = 1000;

  /** A refusal's reason, for people: at most {@value #MAX_REASON_CHARS} chars, one line. */
  static String reason(String reason) {
    if (reason.isEmpty()) {
      throw new IllegalArgumentException("refused outcome with no reason");
    }
    StringBuilder sb = new StringBuilder();
    int limit = Math.min(reason.length(), MAX_REASON_CHARS);
    for (int i = 0; i < limit; i++) {
      char c = reason.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    return limit < reason.length() ? sb.append("...").toString() : sb.toString();
  }

  /** Longest share id accepted. */
  static final int MAX_SHARE_ID_CHARS = 32;

  /** Longest share password accepted. */
  static final int MAX_SHARE_PASSWORD_CHARS = 1024;

  static io.vaultsync.protocol.ShareInfo shareInfo(io.vaultsync.transport.grpc.v1.ShareLink s) {
    return new io.vaultsync.protocol.ShareInfo(
        shareId(s.getId()),
        vault(s.getVault()),
        path("share path", s.getPath()),
        s.getFolder(),
        java.time.Instant.ofEpochMilli(s.getCreatedMillis()),
        s.getCreatedBy(),
        s.getExpiresMillis() == 0 ? null : java.time.Instant.ofEpochMilli(s.getExpiresMillis()),
        s.getPasswordProtected(),
        s.getRevoked());
  }

  static String shareId(String id) {
    if (id.isEmpty() || id.length() > MAX_SHARE_ID_CHARS) {
      throw new IllegalArgumentException(
          "share id \""
              + MessageText.quote(id)
              + "\"; expected 1 to "
              + MAX_SHARE_ID_CHARS
              + " chars");
    }
    return id;
  }

  /** A share password from a request: null if empty. */
  static char[] sharePassword(String password) {
    if (password.isEmpty()) {
      return null;
    }
    if (password.length() > MAX_SHARE_PASSWORD_CHARS) {
      throw new IllegalArgumentException(
          "share password of "
              + password.length()
              + " chars; expected at most "
              + MAX_SHARE_PASSWORD_CHARS);
    }
    return password.toCharArray();
  }

  /** An expiry from a request: null for 0 (never). */
  static java.time.Instant shareExpiry(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("share expiry " + millis + " ms; expected 0 or more");
    }
    return millis == 0 ? null : java.time.Instant.ofEpochMilli(millis);
  }
}
