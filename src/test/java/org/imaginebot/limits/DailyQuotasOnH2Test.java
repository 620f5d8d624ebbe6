package org.imaginebot.limits;

import java.nio.file.Path;
import org.imaginebot.db.TestDatabase;

final class DailyQuotasOnH2Test extends DailyQuotasContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.h2(dir);
  }
}
