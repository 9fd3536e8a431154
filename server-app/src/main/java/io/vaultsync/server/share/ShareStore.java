package io.vaultsync.server.share;

import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Stored share links: rows keyed by id, found by the SHA-256 of their token. Thread-safe. */
public interface ShareStore {
  /** Stores {@code share}, found later by {@code tokenHash}. */
  void insert(Share share, byte[] tokenHash) throws IOException;

  /** The share whose token hashes to {@code tokenHash} (revoked and expired ones included). */
  Optional<Share> findByTokenHash(byte[] tokenHash) throws IOException;

  /** The vault's shares, newest first (revoked and expired ones included). */
  List<Share> list(VaultName vault) throws IOException;

  /** Marks the share revoked; returns whether the vault had a share with that id. */
  boolean revoke(VaultName vault, String id) throws IOException;
}
