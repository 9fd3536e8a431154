package io.vaultsync.core.transport;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.tree.NotePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a sync client needs from a remote vault. File content always travels as a delta in the
 * format of docs/FORMAT.md against a version the receiving side already has, named by its content
 * hash; a null base means "nothing" (the delta is all literal, LZ4-compressed).
 *
 * <p>Every change the remote accepts gets a sequence number, strictly increasing per vault, so
 * "what changed since 4790?" is one call. Writes name the version they replace ({@code expected} /
 * {@code base}); when that is not the current version the call fails with {@link
 * StaleVersionException} and changes nothing, so a client can never overwrite an edit it has not
 * seen.
 *
 * <p>Implementations: {@link InProcessVaultTransport} (in memory, for embedding and tests) here,
 * and the gRPC client in module transport-grpc.
 */
public interface VaultTransport extends AutoCloseable {
  /** Creates an empty vault; fails if one of that name exists. */
  void createVault(String vault) throws IOException;

  /** Changes with sequence numbers above {@code afterSeq}, oldest first, at most {@code limit}. */
  ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException;

  /** Every file of the vault at its head. */
  RemoteManifest manifest(String vault) throws IOException;

  /**
   * Writes to {@code deltaOut} a delta that turns the content with hash {@code base} (null: empty)
   * into the current content of {@code path}, and returns that version.
   *
   * @throws NotFoundException if the vault or the path does not exist, or {@code base} is unknown
   */
  RemoteEntry fetch(String vault, NotePath path, ContentHash base, OutputStream deltaOut)
      throws IOException;

  /**
   * Sets {@code path} to the content that {@code delta} makes from {@code base} (null: a new file,
   * which must not exist yet). The remote applies the delta to its copy of the base and checks the
   * whole-file hash before anything becomes visible.
   *
   * @return the new version, with its sequence number
   * @throws StaleVersionException if {@code base} is not the current version of {@code path}
   */
  RemoteEntry push(String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException;

  /**
   * Deletes {@code path} if its current version is {@code expected}; returns the sequence number.
   */
  long delete(String vault, NotePath path, ContentHash expected, String device) throws IOException;

  /**
   * Moves {@code from} (whose current version must be {@code expected}) to {@code to}, which must
   * not exist. No content travels.
   */
  RemoteEntry move(String vault, NotePath from, NotePath to, ContentHash expected, String device)
      throws IOException;

  @Override
  void close() throws IOException;
}
