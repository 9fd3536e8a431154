package io.vaultsync.server.s3;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link S3Fixture} (s3proxy, SQLite, a test clock) for each test. */
abstract class S3TestBase {
  @TempDir Path dir;
  S3Fixture f;

  @BeforeEach
  void startFixture() throws Exception {
    f = new S3Fixture(dir);
  }

  @AfterEach
  void closeFixture() throws Exception {
    f.close();
  }
}
