package io.vaultsync.protocol;

/** A live subscription to a vault's changes; closing it stops delivery. Idempotent. */
public interface Subscription extends AutoCloseable {
  /**
   * The listener, which said it was not {@link ChangeListener#ready}, can take deliveries again.
   * Only a backend's feed pauses; elsewhere this does nothing.
   */
  default void resume() {}

  @Override
  void close();
}
