package org.imaginebot.bot;

import java.nio.file.Path;
import org.imaginebot.db.TestDatabase;

final class UserPrefsStoreOnPostgresTest extends UserPrefsStoreContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.postgres();
  }
}
