package org.imaginebot.limits;

import java.nio.file.Path;
import org.imaginebot.db.TestDatabase;

final class DailyQuotasOnPostgresTest extends DailyQuotasContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.postgres();
  }
}
