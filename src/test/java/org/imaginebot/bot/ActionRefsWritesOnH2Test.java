package org.imaginebot.bot;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.imaginebot.db.TestDatabase;

final class ActionRefsWritesOnH2Test extends ActionRefsWritesContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.h2(dir);
  }

  /** H2's exclusive mode: other connections' statements wait until it ends. */
  @Override
  Block blockWrites() throws Exception {
    Connection exclusive = DriverManager.getConnection(db.url());
    try (Statement statement = exclusive.createStatement()) {
      statement.execute("SET EXCLUSIVE 1");
    }
    return () -> {
      try (exclusive;
          Statement statement = exclusive.createStatement()) {
        statement.execute("SET EXCLUSIVE 0");
      }
    };
  }
}
