package org.imaginebot.limits;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Which guilds' (workspaces') queues a moderator paused. */
public interface ScopePauses {

  void pause(String scopeId);

  void resume(String scopeId);

  boolean isPaused(String scopeId);

  /** Pauses kept in this process. */
  static ScopePauses local() {
    Set<String> paused = ConcurrentHashMap.newKeySet();
    return new ScopePauses() {
      @Override
      public void pause(String scopeId) {
        paused.add(scopeId);
      }

      @Override
      public void resume(String scopeId) {
        paused.remove(scopeId);
      }

      @Override
      public boolean isPaused(String scopeId) {
        return paused.contains(scopeId);
      }
    };
  }
}
