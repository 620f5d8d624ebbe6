package org.imaginebot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.imaginebot.bench.FairnessFigures.TakenJob;
import org.junit.jupiter.api.Test;

final class FairnessFiguresTest {

  private static final String FLOODER = "flooder";

  @Test
  void fifoBehindAFlood_showsLongWaitsAndAnUnfairContest() {
    // Ten flood jobs and three ordinary users' jobs all waiting at take 0; FIFO serves the flood
    // first.
    List<TakenJob> jobs = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      jobs.add(new TakenJob(FLOODER, 0, t));
    }
    jobs.add(new TakenJob("a", 0, 10));
    jobs.add(new TakenJob("b", 0, 11));
    jobs.add(new TakenJob("c", 0, 12));

    FairnessFigures figures = FairnessFigures.of(jobs, FLOODER);

    assertThat(figures.maxFirstWaitNormal()).isEqualTo(12);
    assertThat(figures.p99WaitNormal()).isEqualTo(12);
    assertThat(figures.flooderPeakQueued()).isEqualTo(10);
    assertThat(figures.contestedTakes())
        .isEqualTo(10); // takes 0..9: flooder and ordinary users both waiting
    assertThat(figures.jainContested())
        .isEqualTo(0.25); // the flooder got all 10 of 4 contenders' takes
  }

  @Test
  void roundRobinBehindAFlood_keepsWaitsAtTheNumberOfUsersAndTheContestEven() {
    // The same jobs served round-robin: a, b, c each get one of the first takes, the flooder one
    // per round.
    List<TakenJob> jobs =
        new ArrayList<>(
            List.of(
                new TakenJob(FLOODER, 0, 0),
                new TakenJob("a", 0, 1),
                new TakenJob("b", 0, 2),
                new TakenJob("c", 0, 3)));
    for (int t = 4; t < 13; t++) {
      jobs.add(new TakenJob(FLOODER, 0, t));
    }

    FairnessFigures figures = FairnessFigures.of(jobs, FLOODER);

    assertThat(figures.maxFirstWaitNormal()).isEqualTo(3);
    assertThat(figures.contestedTakes()).isEqualTo(4);
    assertThat(figures.jainContested()).isEqualTo(1.0);
  }

  @Test
  void waitsCountFromTheOffer_theFloodersPeakFromWhenTheOfferReturned() {
    // The second flood job was offered before take 0 but its offer returned only after take 1.
    List<TakenJob> jobs =
        List.of(
            new TakenJob(FLOODER, 0, 0, 0),
            new TakenJob(FLOODER, 0, 2, 2),
            new TakenJob("a", 1, 1));

    FairnessFigures figures = FairnessFigures.of(jobs, FLOODER);

    assertThat(figures.flooderPeakQueued()).isEqualTo(1);
    assertThat(figures.maxWaitNormal()).isZero();
  }

  @Test
  void withoutAFlooder_nothingIsContested() {
    FairnessFigures figures =
        FairnessFigures.of(List.of(new TakenJob("a", 0, 0), new TakenJob("b", 0, 1)), FLOODER);

    assertThat(figures.contestedTakes()).isZero();
    assertThat(figures.jainContested()).isNaN();
    assertThat(figures.maxWaitNormal()).isEqualTo(1);
  }

  @Test
  void aJobTakenBeforeItWasOffered_isRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> new TakenJob("a", 5, 4));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                FairnessFigures.of(
                    List.of(new TakenJob("a", 0, 0), new TakenJob("b", 0, 0)), FLOODER))
        .withMessageContaining("each once");
  }

  @Test
  void jain_halfWhenOneOfTwoUsersGetsEverything() {
    assertThat(FairnessFigures.jain(Map.of("a", 4), 2)).isEqualTo(0.5);
    assertThat(FairnessFigures.jain(Map.of("a", 3, "b", 3), 2)).isEqualTo(1.0);
  }

  @Test
  void percentile99_isTheNearestRank() {
    long[] values = new long[200];
    for (int i = 0; i < values.length; i++) {
      values[i] = i + 1;
    }
    assertThat(FairnessFigures.percentile99(values)).isEqualTo(198);
    assertThat(FairnessFigures.percentile99(new long[0])).isZero();
  }
}
