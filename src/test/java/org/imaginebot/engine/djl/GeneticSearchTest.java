package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the GA's selection, crossover and mutation promise, shown on real runs on the tiny BigGAN:
 * the elite survive unchanged, genes stay in bounds, children are bred (not copied), and a seed
 * gives the same run.
 */
final class GeneticSearchTest {

  private static final GeneticSearch.Settings SMALL = new GeneticSearch.Settings(8, 2, 3, 0.1, 0.3);
  private static final int GENERATIONS = 4;

  private static DjlEngine engine;
  private static List<EvolveRun.Generation> run;

  @BeforeAll
  static void runOnce() {
    engine = TinyModels.engine(Map.of());
    run = EvolveRun.generations(engine, SMALL, 11, GENERATIONS);
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void elite_surviveUnchangedAtTheFront_soTheBestNeverGetsWorse() {
    assertThat(run).hasSize(GENERATIONS);
    for (int g = 0; g + 1 < GENERATIONS; g++) {
      EvolveRun.Generation parents = run.get(g);
      EvolveRun.Generation children = run.get(g + 1);
      Integer[] order = ranking(parents.fitness());
      for (int e = 0; e < SMALL.elite(); e++) {
        assertThat(children.genes()[e])
            .as("elite %d of generation %d carried into generation %d", e, g + 1, g + 2)
            .containsExactly(parents.genes()[order[e]]);
        assertThat(children.fitness()[e]).isEqualTo(parents.fitness()[order[e]]);
      }
      assertThat(max(children.fitness())).isGreaterThanOrEqualTo(max(parents.fitness()));
    }
  }

  @Test
  void genes_stayWithinBounds_andChildrenAreBredNotCopied() {
    int length = engine.bigGan(EvolveRun.MODEL).genomeLength();
    for (EvolveRun.Generation generation : run) {
      assertThat(generation.genes()).hasNumberOfRows(SMALL.population());
      for (float[] genes : generation.genes()) {
        assertThat(genes).hasSize(length);
        for (float gene : genes) {
          assertThat(gene).isBetween(-GeneticSearch.GENE_BOUND, GeneticSearch.GENE_BOUND);
        }
      }
    }
    EvolveRun.Generation parents = run.get(0);
    EvolveRun.Generation children = run.get(1);
    for (int i = SMALL.elite(); i < SMALL.population(); i++) {
      float[] child = children.genes()[i];
      assertThat(Arrays.stream(parents.genes()).noneMatch(p -> Arrays.equals(p, child)))
          .as("child %d of generation 2 is not a copy of a parent", i)
          .isTrue();
    }
  }

  @Test
  void sameSeed_sameRun_otherSeed_otherRun() {
    List<EvolveRun.Generation> again = EvolveRun.generations(engine, SMALL, 11, GENERATIONS);
    for (int g = 0; g < GENERATIONS; g++) {
      assertThat(again.get(g).genes()).isDeepEqualTo(run.get(g).genes());
      assertThat(again.get(g).fitness()).containsExactly(run.get(g).fitness());
    }
    List<EvolveRun.Generation> other = EvolveRun.generations(engine, SMALL, 12, 1);
    assertThat(other.get(0).genes()[0]).isNotEqualTo(run.get(0).genes()[0]);
  }

  private static Integer[] ranking(double[] fitness) {
    Integer[] order = new Integer[fitness.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(
        order, Comparator.comparingDouble((Integer i) -> -fitness[i]).thenComparingInt(i -> i));
    return order;
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }
}
