package io.vaultsync.server.s3;

import io.vaultsync.server.store.ContentStore;
import io.vaultsync.server.store.ContentStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** {@link S3ContentStore} keeps the promises of every content store (s3proxy and SQLite). */
class S3ContentStoreContractTest extends ContentStoreContract {
  @TempDir Path dir;
  private S3Fixture fixture;

  @Override
  protected ContentStore store() throws Exception {
    fixture = new S3Fixture(dir);
    return fixture.store();
  }

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }
}
