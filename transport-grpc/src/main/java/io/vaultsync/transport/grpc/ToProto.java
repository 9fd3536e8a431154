package io.vaultsync.transport.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.transport.grpc.v1.ChangeOp;
import io.vaultsync.transport.grpc.v1.Delete;
import io.vaultsync.transport.grpc.v1.Move;
import io.vaultsync.transport.grpc.v1.Put;
import io.vaultsync.transport.grpc.v1.Stale;

/** Delta-core values to protobuf messages: the one place that builds {@code vaultsync.v1} data. */
final class ToProto {
  private ToProto() {}

  /** A hash as 32 bytes; null as empty bytes. */
  static ByteString hash(ContentHash hash) {
    return hash == null ? ByteString.EMPTY : ByteString.copyFrom(hash.toBytes());
  }

  /** The header of a push (Push's first message, an UploadPart's first part). */
  static io.vaultsync.transport.grpc.v1.PushHeader pushHeader(
      String vault, io.vaultsync.model.tree.NotePath path, ContentHash base) {
    return io.vaultsync.transport.grpc.v1.PushHeader.newBuilder()
        .setVault(vault)
        .setPath(path.value())
        .setBase(hash(base))
        .build();
  }

  /** The header of a give-back (GiveBack's first message, an UploadPart's first part). */
  static io.vaultsync.transport.grpc.v1.PushHeader giveBackHeader(String vault, ContentHash hash) {
    return io.vaultsync.transport.grpc.v1.PushHeader.newBuilder()
        .setVault(vault)
        .setGiveBack(hash(hash))
        .build();
  }

  static io.vaultsync.transport.grpc.v1.RemoteEntry entry(RemoteEntry e) {
    return io.vaultsync.transport.grpc.v1.RemoteEntry.newBuilder()
        .setPath(e.path().value())
        .setHash(hash(e.hash()))
        .setSize(e.size())
        .setSeq(e.seq())
        .build();
  }

  static io.vaultsync.transport.grpc.v1.Change change(Change c) {
    var b =
        io.vaultsync.transport.grpc.v1.Change.newBuilder()
            .setSeq(c.seq())
            .setOp(
                switch (c.op()) {
                  case PUT -> ChangeOp.CHANGE_OP_PUT;
                  case DELETE -> ChangeOp.CHANGE_OP_DELETE;
                  case MOVE -> ChangeOp.CHANGE_OP_MOVE;
                  case MOVE_FOLDER -> ChangeOp.CHANGE_OP_MOVE_FOLDER;
                })
            .setPath(c.path().value())
            .setHash(hash(c.hash()))
            .setSize(c.size())
            .setDevice(c.device())
            .setTimeMillis(c.time().toEpochMilli())
            .setConfirmed(c.confirmed());
    if (c.previousPath() != null) {
      b.setPreviousPath(c.previousPath().value());
    }
    return b.build();
  }

  static io.vaultsync.transport.grpc.v1.VaultInfo vaultInfo(VaultInfo v) {
    var b =
        io.vaultsync.transport.grpc.v1.VaultInfo.newBuilder()
            .setName(v.name())
            .setFiles(v.files())
            .setBytes(v.bytes())
            .setHeadSeq(v.headSeq());
    if (v.lastChange() != null) {
      b.setLastChangeMillis(v.lastChange().toEpochMilli());
    }
    return b.build();
  }

  static io.vaultsync.transport.grpc.v1.Mutation mutation(Mutation m) {
    var b = io.vaultsync.transport.grpc.v1.Mutation.newBuilder();
    if (m instanceof Mutation.Put put) {
      b.setPut(
          Put.newBuilder()
              .setPath(put.path().value())
              .setBase(hash(put.base()))
              // delta() returns a fresh copy that nothing else holds, so wrapping it is safe.
              .setDelta(UnsafeByteOperations.unsafeWrap(put.delta())));
    } else if (m instanceof Mutation.Delete delete) {
      b.setDelete(
          Delete.newBuilder().setPath(delete.path().value()).setExpected(hash(delete.expected())));
    } else if (m instanceof Mutation.MoveFolder folder) {
      b.setMoveFolder(
          io.vaultsync.transport.grpc.v1.MoveFolder.newBuilder()
              .setPath(folder.path().value())
              .setTo(folder.to().value())
              .setFiles(folder.files())
              .setRoot(ByteString.copyFrom(folder.root().toBytes())));
    } else {
      Mutation.Move move = (Mutation.Move) m;
      b.setMove(
          Move.newBuilder()
              .setPath(move.path().value())
              .setTo(move.to().value())
              .setExpected(hash(move.expected())));
    }
    return b.build();
  }

  static io.vaultsync.transport.grpc.v1.Outcome outcome(Outcome o) {
    var b = io.vaultsync.transport.grpc.v1.Outcome.newBuilder();
    if (o instanceof Outcome.Applied applied) {
      b.setApplied(change(applied.change()));
    } else if (o instanceof Outcome.Refused refused) {
      b.setRefused(
          io.vaultsync.transport.grpc.v1.Refused.newBuilder()
              .setPath(refused.path().value())
              .setReason(refused.reason()));
    } else {
      Outcome.Stale stale = (Outcome.Stale) o;
      Stale.Builder s = Stale.newBuilder().setPath(stale.path().value());
      if (stale.current() != null) {
        s.setCurrent(entry(stale.current()));
      }
      b.setStale(s);
    }
    return b.build();
  }

  static io.vaultsync.transport.grpc.v1.VaultRoot vaultRoot(VaultRoot r) {
    return io.vaultsync.transport.grpc.v1.VaultRoot.newBuilder()
        .setSeq(r.seq())
        .setFiles(r.files())
        .setBytes(r.bytes())
        .setRoot(ByteString.copyFrom(r.root().toBytes()))
        .build();
  }

  static io.vaultsync.transport.grpc.v1.Snapshot snapshot(SnapshotInfo s) {
    return io.vaultsync.transport.grpc.v1.Snapshot.newBuilder()
        .setSeq(s.seq())
        .setFiles(s.files())
        .setBytes(s.bytes())
        .setRoot(ByteString.copyFrom(s.root().toBytes()))
        .setTimeMillis(s.time().toEpochMilli())
        .build();
  }

  static io.vaultsync.transport.grpc.v1.ShareLink shareLink(io.vaultsync.protocol.ShareInfo s) {
    return io.vaultsync.transport.grpc.v1.ShareLink.newBuilder()
        .setId(s.id())
        .setVault(s.vault())
        .setPath(s.path().value())
        .setFolder(s.folder())
        .setCreatedMillis(s.created().toEpochMilli())
        .setCreatedBy(s.createdBy())
        .setExpiresMillis(s.expires() == null ? 0 : s.expires().toEpochMilli())
        .setPasswordProtected(s.passwordProtected())
        .setRevoked(s.revoked())
        .build();
  }
}
