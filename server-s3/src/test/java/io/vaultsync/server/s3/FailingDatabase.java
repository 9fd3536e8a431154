package io.vaultsync.server.s3;

import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.SqlWork;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A database that can be made to fail its transactions, as PostgreSQL going away would. */
final class FailingDatabase implements Database {
  private final Database real;
  final AtomicBoolean down = new AtomicBoolean();

  FailingDatabase(Database real) {
    this.real = real;
  }

  private void check() throws IOException {
    if (down.get()) {
      throw new IOException("database " + real.describe() + " cannot be reached (test)");
    }
  }

  @Override
  public <T> T read(SqlWork<T> work) throws IOException {
    check();
    return real.read(work);
  }

  @Override
  public <T> T transaction(SqlWork<T> work) throws IOException {
    check();
    return real.transaction(work);
  }

  @Override
  public void createTablesIfMissing(String... statements) throws IOException {
    real.createTablesIfMissing(statements);
  }

  @Override
  public String describe() {
    return real.describe();
  }

  @Override
  public void close() throws IOException {
    real.close();
  }
}
