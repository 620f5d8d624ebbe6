package org.imaginebot.settings;

import java.nio.file.Path;
import org.imaginebot.db.TestDatabase;

final class SettingsStoreOnH2Test extends SettingsStoreContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.h2(dir);
  }
}
