package io.vaultsync.core.transport;

/** A live subscription to a vault's changes; closing it stops delivery. Idempotent. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
