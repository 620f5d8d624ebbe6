package org.imaginebot.queue;

import java.nio.file.Path;
import org.imaginebot.db.TestDatabase;

final class PersistentJobQueueOnH2Test extends PersistentJobQueueContract {

  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.h2(dir);
  }
}
