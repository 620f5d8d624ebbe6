package org.imaginebot.db;

import java.nio.file.Path;

final class DatabaseOnH2Test extends DatabaseContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.h2(dir);
  }
}
