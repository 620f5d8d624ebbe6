package org.imaginebot.bot;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.imaginebot.db.TestDatabase;

final class ActionRefsWritesOnPostgresTest extends ActionRefsWritesContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.postgres();
  }

  /** A transaction holding the table's strongest lock: every insert (and read) of it waits. */
  @Override
  Block blockWrites() throws Exception {
    Connection lock = DriverManager.getConnection(db.url());
    lock.setAutoCommit(false);
    try (Statement statement = lock.createStatement()) {
      statement.execute("LOCK TABLE action_ref IN ACCESS EXCLUSIVE MODE");
    }
    return () -> {
      lock.rollback();
      lock.close();
    };
  }
}
