package io.vaultsync.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** {@link PackContentStore} keeps the promises of every content store. */
class PackContentStoreContractTest extends ContentStoreContract {
  @TempDir Path dir;
  private PackContentStore store;

  @Override
  protected ContentStore store() throws Exception {
    store = PackContentStore.open(dir);
    return store;
  }

  @AfterEach
  void close() throws Exception {
    if (store != null) {
      store.close();
    }
  }
}
