package org.imaginebot.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The commands of one {@code bench load} run in the order they are sent: each light user's single
 * request spread over the run, the flooders' fresh requests and repeats (of any finished request)
 * in between, shuffled by the seed.
 */
public final class LoadPlan {

  /** What one command is. */
  public enum Kind {
    /** A light user's only request. */
    LIGHT,
    /** A flooder's new request. */
    FLOOD,
    /** A flooder repeating a finished request: the cache answers it. */
    REPEAT
  }

  /**
   * One command of the plan.
   *
   * @param user index of its user: light users first, then flooders
   */
  public record Command(int index, Kind kind, int user) {}

  private LoadPlan() {}

  /** The commands of {@code load}, in sending order. */
  public static List<Command> of(ChatLoad load) {
    Random random = new Random(load.seed());
    int light = load.lightUsers();
    int flooders = load.flooders();
    int repeats = load.repeats();
    int flood = load.commands() - light - repeats;
    List<Kind> kinds = new ArrayList<>();
    for (int n = 0; n < flood; n++) {
      kinds.add(Kind.FLOOD);
    }
    for (int n = 0; n < repeats; n++) {
      kinds.add(Kind.REPEAT);
    }
    Collections.shuffle(kinds, random);
    // The first flooder's command goes first, so a repeat has something to repeat early on.
    int firstFlood = kinds.indexOf(Kind.FLOOD);
    Collections.swap(kinds, 0, firstFlood);
    List<Integer> lightUsers = new ArrayList<>();
    for (int u = 0; u < light; u++) {
      lightUsers.add(u);
    }
    Collections.shuffle(lightUsers, random);
    // Light users arrive evenly over the run, while the flood is under way.
    int total = load.commands();
    List<Command> commands = new ArrayList<>(total);
    int lightSent = 0;
    int other = 0;
    for (int i = 0; i < total; i++) {
      boolean lightTurn =
          lightSent < light && (long) (i + 1) * light >= (long) (lightSent + 1) * total;
      if (lightTurn || other == kinds.size()) {
        commands.add(new Command(i, Kind.LIGHT, lightUsers.get(lightSent++)));
      } else {
        commands.add(new Command(i, kinds.get(other++), light + random.nextInt(flooders)));
      }
    }
    return List.copyOf(commands);
  }
}
