package org.imaginebot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.imaginebot.bench.LoadPlan.Command;
import org.imaginebot.bench.LoadPlan.Kind;
import org.junit.jupiter.api.Test;

final class LoadPlanTest {

  private final ChatLoad load = new ChatLoad(1000, 100, 0.2, 1 / 3.0, 2, 20, 7);

  @Test
  void oneThousandCommandsFromOneHundredUsers_aThirdRepeats_eachLightUserAsksOnce() {
    List<Command> plan = LoadPlan.of(load);

    assertThat(plan).hasSize(1000);
    assertThat(plan).extracting(Command::index).isSorted().doesNotHaveDuplicates();
    Map<Kind, Long> kinds =
        plan.stream().collect(Collectors.groupingBy(Command::kind, Collectors.counting()));
    assertThat(kinds).containsEntry(Kind.LIGHT, 80L).containsEntry(Kind.REPEAT, 333L);
    assertThat(kinds.get(Kind.FLOOD)).isEqualTo(1000 - 80 - 333);
    assertThat(plan.stream().filter(c -> c.kind() == Kind.LIGHT).map(Command::user))
        .as("each light user once")
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, 80).boxed().toList());
    assertThat(plan.stream().filter(c -> c.kind() != Kind.LIGHT).map(Command::user))
        .allMatch(u -> u >= 80 && u < 100);
    assertThat(plan.get(0).kind()).as("something to repeat comes first").isEqualTo(Kind.FLOOD);
  }

  @Test
  void lightUsersArriveEvenlyOverTheRun_whileTheFloodGoesOn() {
    List<Integer> at =
        LoadPlan.of(load).stream().filter(c -> c.kind() == Kind.LIGHT).map(Command::index).toList();

    assertThat(at.get(0)).isLessThan(20);
    assertThat(at.get(at.size() - 1)).isEqualTo(999);
    for (int n = 1; n < at.size(); n++) {
      assertThat(at.get(n) - at.get(n - 1)).isBetween(12, 13);
    }
  }

  @Test
  void theSameSeed_theSamePlan() {
    assertThat(LoadPlan.of(load)).isEqualTo(LoadPlan.of(load));
    assertThat(LoadPlan.of(new ChatLoad(1000, 100, 0.2, 1 / 3.0, 2, 20, 8)))
        .isNotEqualTo(LoadPlan.of(load));
  }

  @Test
  void badSettings_sayWhichAndWhy() {
    assertThatThrownBy(() -> new ChatLoad(10, 20, 0.2, 0.3, 2, 20, 1))
        .hasMessage("commands must be at least users (20), got 10");
    assertThatThrownBy(() -> new ChatLoad(100, 20, 1.0, 0.3, 2, 20, 1))
        .hasMessage("floodShare must be in (0, 1), got 1.0");
  }
}
