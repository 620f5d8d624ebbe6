package org.imaginebot.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Per-user FIFOs served in rotation: the scheduling core of {@link FairJobQueue}, not thread-safe.
 *
 * <p>The rotation holds only users with waiting jobs, in serving order. Serving a user moves them
 * to the back; a user whose FIFO empties leaves the rotation and rejoins at the back. Because
 * serving never reorders the other users, the order of every waiting job follows from the FIFO
 * sizes: job {@code j} (0-based) of user {@code u} runs in round {@code j}, after every other
 * user's first {@code j} jobs and after round {@code j}'s users ahead of {@code u}.
 */
final class RoundRobin {

  private final LinkedHashMap<String, ArrayDeque<Job>> rotation = new LinkedHashMap<>();
  private final Map<JobId, Job> byId = new HashMap<>();

  int size() {
    return byId.size();
  }

  int sizeOf(String userId) {
    ArrayDeque<Job> fifo = rotation.get(userId);
    return fifo == null ? 0 : fifo.size();
  }

  Job get(JobId id) {
    return byId.get(id);
  }

  /** Appends the job to its user's FIFO; a user new to the rotation joins at the back. O(1). */
  void add(Job job) {
    rotation.computeIfAbsent(job.userId(), u -> new ArrayDeque<>()).addLast(job);
    byId.put(job.id(), job);
  }

  /** The position of the user's last waiting job, 0 when none. O(users). */
  int positionOfLast(String userId) {
    int size = sizeOf(userId);
    return size == 0 ? 0 : positionAt(userId, size - 1);
  }

  /** Removes and returns the next job in fair order, or null when empty. O(1). */
  Job poll() {
    Iterator<Map.Entry<String, ArrayDeque<Job>>> it = rotation.entrySet().iterator();
    if (!it.hasNext()) {
      return null;
    }
    Map.Entry<String, ArrayDeque<Job>> head = it.next();
    ArrayDeque<Job> fifo = head.getValue();
    Job job = fifo.pollFirst();
    it.remove();
    if (!fifo.isEmpty()) {
      rotation.put(head.getKey(), fifo); // re-insertion puts the user at the back
    }
    byId.remove(job.id());
    return job;
  }

  /**
   * Removes and returns the first job in fair order that {@code eligible} accepts, looking only at
   * each user's first job (a user's own jobs stay in order); null when none is. O(users). The
   * chosen user goes to the back, as with {@link #poll()}.
   */
  Job poll(Predicate<Job> eligible) {
    for (Map.Entry<String, ArrayDeque<Job>> entry : rotation.entrySet()) {
      Job head = entry.getValue().peekFirst();
      if (eligible.test(head)) {
        String user = entry.getKey();
        ArrayDeque<Job> fifo = entry.getValue();
        fifo.pollFirst();
        rotation.remove(user);
        if (!fifo.isEmpty()) {
          rotation.put(user, fifo);
        }
        byId.remove(head.id());
        return head;
      }
    }
    return null;
  }

  /** Removes a waiting job; returns it, or null when it is not here. */
  Job remove(JobId id) {
    Job job = byId.remove(id);
    if (job == null) {
      return null;
    }
    ArrayDeque<Job> fifo = rotation.get(job.userId());
    fifo.removeIf(j -> j == job);
    if (fifo.isEmpty()) {
      rotation.remove(job.userId());
    }
    return job;
  }

  /** The 1-based position of a waiting job, 0 when it is not here. O(n). */
  int position(JobId id) {
    Job job = byId.get(id);
    if (job == null) {
      return 0;
    }
    int index = 0;
    for (Job j : rotation.get(job.userId())) {
      if (j == job) {
        break;
      }
      index++;
    }
    return positionAt(job.userId(), index);
  }

  private int positionAt(String userId, int index) {
    ArrayDeque<Job> mine = rotation.get(userId);
    int position = index + 1;
    boolean ahead = true;
    for (ArrayDeque<Job> fifo : rotation.values()) {
      if (fifo == mine) {
        ahead = false;
        continue;
      }
      int size = fifo.size();
      position += Math.min(size, index); // their jobs in earlier rounds
      if (ahead && size > index) {
        position++; // served before us in our own round
      }
    }
    return position;
  }

  /** All waiting jobs in the order they will run. O(n). */
  List<Job> inOrder() {
    List<Job> order = new ArrayList<>(byId.size());
    List<Iterator<Job>> users = new ArrayList<>(rotation.size());
    for (ArrayDeque<Job> fifo : rotation.values()) {
      users.add(fifo.iterator());
    }
    while (!users.isEmpty()) {
      int kept = 0;
      for (int i = 0; i < users.size(); i++) {
        Iterator<Job> user = users.get(i);
        order.add(user.next());
        if (user.hasNext()) {
          users.set(kept++, user);
        }
      }
      users.subList(kept, users.size()).clear();
    }
    return order;
  }
}
