package org.imaginebot.db;

import java.nio.file.Path;

final class DatabaseOnPostgresTest extends DatabaseContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.postgres();
  }
}
