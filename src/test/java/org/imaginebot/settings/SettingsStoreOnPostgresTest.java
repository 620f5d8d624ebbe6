package org.imaginebot.settings;

import java.nio.file.Path;
import org.imaginebot.db.TestDatabase;

final class SettingsStoreOnPostgresTest extends SettingsStoreContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.postgres();
  }
}
