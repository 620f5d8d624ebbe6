package org.imaginebot.bot;

import java.nio.file.Path;
import org.imaginebot.db.TestDatabase;

final class UserPrefsStoreOnH2Test extends UserPrefsStoreContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.h2(dir);
  }
}
