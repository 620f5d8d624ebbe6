package org.imaginebot.queue;

import java.nio.file.Path;
import org.imaginebot.db.TestDatabase;

final class PersistentJobQueueOnPostgresTest extends PersistentJobQueueContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.postgres();
  }
}
