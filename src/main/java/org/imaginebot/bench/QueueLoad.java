package org.imaginebot.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The load of {@code bench queue}: one user floods while ordinary users ask for a few images each,
 * offered by several producer threads at once.
 *
 * @param users ordinary users (at least 1)
 * @param jobsPerUser jobs each ordinary user offers (at least 1)
 * @param flood jobs the flooding user offers (0 or more)
 * @param producers threads offering at once (at least 1)
 * @param seed seed of the offer order
 */
public record QueueLoad(int users, int jobsPerUser, int flood, int producers, long seed) {

  /** The flooding user's id; ordinary users are {@code user-0}, {@code user-1}, ... */
  public static final String FLOODER = "flooder";

  public QueueLoad {
    requireAtLeast("--users", users, 1);
    requireAtLeast("--jobs-per-user", jobsPerUser, 1);
    requireAtLeast("--flood", flood, 0);
    requireAtLeast("--producers", producers, 1);
  }

  /** Every offer. */
  public int offers() {
    return flood + users * jobsPerUser;
  }

  /**
   * Who makes each offer, in the order producers pick them up. Ordinary users offer in rounds (one
   * job each per round, shuffled). {@code floodFirst}: the whole flood comes before them, so the
   * flooder has it all queued when they arrive; otherwise the flood is shuffled in among them, so
   * the flooder keeps pushing for the whole run.
   */
  String[] offerOrder(boolean floodFirst) {
    Random random = new Random(seed);
    List<String> ordinary = new ArrayList<>(users * jobsPerUser);
    List<String> round = new ArrayList<>(users);
    for (int u = 0; u < users; u++) {
      round.add("user-" + u);
    }
    for (int r = 0; r < jobsPerUser; r++) {
      Collections.shuffle(round, random);
      ordinary.addAll(round);
    }
    if (floodFirst) {
      String[] offers = new String[offers()];
      Arrays.fill(offers, 0, flood, FLOODER);
      for (int i = 0; i < ordinary.size(); i++) {
        offers[flood + i] = ordinary.get(i);
      }
      return offers;
    }
    // Spread the flood evenly through the ordinary offers, keeping the ordinary users' rounds.
    String[] offers = new String[offers()];
    int o = 0;
    int f = 0;
    for (int i = 0; i < offers.length; i++) {
      boolean floodTurn =
          f < flood && (o == ordinary.size() || (long) f * offers.length <= (long) i * flood);
      offers[i] = floodTurn ? FLOODER : ordinary.get(o);
      if (floodTurn) {
        f++;
      } else {
        o++;
      }
    }
    return offers;
  }

  private static void requireAtLeast(String option, int value, int least) {
    if (value < least) {
      throw new IllegalArgumentException(option + " must be at least " + least + ", got " + value);
    }
  }
}
