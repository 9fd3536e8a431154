package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --database}, {@code --objects} and {@code --s3-endpoint} are checked before anything
 * starts: one line and exit code 2 for an operator's mistake, a password never printed. (server-app
 * alone has no provider for either URL; the server-postgres and server-s3 modules bring them.)
 */
class SharedStorageOptionsTest {
  @TempDir Path dir;

  @Test
  void objectsWithoutADatabaseIsOneLineAndExitCode2() {
    CommandRun r = CommandRun.run("--data", dir.toString(), "--objects", "s3://notes");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "vaultsync server: --objects needs --database postgresql://...: the object store's index"
                + " lives in the database the server's processes share");
  }

  @Test
  void aDatabaseWithoutObjectsIsOneLineAndExitCode2() {
    CommandRun r = CommandRun.run("--data", dir.toString(), "--database", "postgresql://x@h/db");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().contains("--database needs --objects");
  }

  @Test
  void anEndpointWithoutObjectsIsRefused() {
    CommandRun r =
        CommandRun.run("--data", dir.toString(), "--s3-endpoint", "http://127.0.0.1:9000");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--s3-endpoint needs --objects");
  }

  @Test
  void aDatabaseNoProviderOpensIsNamedWithoutItsPassword() {
    CommandRun r =
        CommandRun.run(
            "--data",
            dir.toString(),
            "--database",
            "mysql://admin:hunter2@db.example/notes",
            "--objects",
            "s3://notes");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .contains("mysql://admin:***@db.example/notes");
    assertThat(r.err()).doesNotContain("hunter2");
  }
}
