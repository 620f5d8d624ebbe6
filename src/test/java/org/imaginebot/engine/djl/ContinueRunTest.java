package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.Progress;
import org.imaginebot.engine.ProgressListener;
import org.imaginebot.engine.RunState;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.PromptParser;
import org.imaginebot.request.Strategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Continuing an {@code adam} run ({@code Engine.resume}) on the committed tiny models. */
final class ContinueRunTest {

  private static DjlEngine engine;

  @BeforeAll
  static void start() {
    engine = TinyModels.engine(Map.of("engine.cutouts", "8", "engine.previewEvery", "5"));
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static GenerationRequest request(Strategy strategy, int steps) {
    return new GenerationRequest(
        PromptParser.parse("a lighthouse in a storm | fog:0.5"), "tiny", strategy, steps, 11);
  }

  private static RunState stateAfter(int steps) {
    return engine
        .generate(request(Strategy.ADAM, steps), ProgressListener.NONE, new CancellationSignal())
        .state()
        .orElseThrow();
  }

  @Test
  void adamResult_carriesItsState_otherStrategiesNone() {
    RunState state = stateAfter(4);

    assertThat(state.step()).isEqualTo(4);
    assertThat(state.arrays())
        .extracting(RunState.Array::name)
        .containsExactly(
            "latent.0",
            "latent.1",
            "adam.m.0",
            "adam.m.1",
            "adam.v.0",
            "adam.v.1",
            "best.0",
            "best.1");
    assertThat(RunState.fromBytes(state.toBytes())).isEqualTo(state);
    for (Strategy other : List.of(Strategy.SEARCH, Strategy.AUTO, Strategy.EVOLVE)) {
      assertThat(
              engine
                  .generate(request(other, 4), ProgressListener.NONE, new CancellationSignal())
                  .state())
          .as(other.id())
          .isEmpty();
    }
  }

  @Test
  void aNonFiniteLoss_failsTheRunWithAClearMessage_insteadOfKeepingNoBestStep() {
    RunState good = stateAfter(2);
    List<RunState.Array> arrays = new ArrayList<>();
    for (RunState.Array array : good.arrays()) {
      float[] values = array.values().clone();
      if (array.name().equals("latent.0")) {
        java.util.Arrays.fill(values, Float.NaN);
      }
      arrays.add(new RunState.Array(array.name(), array.shape(), values));
    }
    RunState poisoned =
        new RunState(good.step(), good.initialScore(), good.bestScore(), good.bestStep(), arrays);

    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                engine.resume(
                    request(Strategy.ADAM, 2),
                    poisoned,
                    2,
                    ProgressListener.NONE,
                    new CancellationSignal()))
        .withMessageStartingWith("the loss is NaN at step 3")
        .withMessageContaining("engine.cpuKernels: onednn-off");
  }

  @Test
  void continuingTheSameStateTwice_givesTheSameBytes() {
    RunState state = RunState.fromBytes(stateAfter(4).toBytes());

    GenerationResult first =
        engine.resume(
            request(Strategy.ADAM, 4), state, 3, ProgressListener.NONE, new CancellationSignal());
    GenerationResult second =
        engine.resume(
            request(Strategy.ADAM, 4), state, 3, ProgressListener.NONE, new CancellationSignal());

    assertThat(second.png()).isEqualTo(first.png());
    assertThat(second.state()).isEqualTo(first.state());
    assertThat(first.state().orElseThrow().step()).isEqualTo(7);
  }

  /**
   * The continued steps start from the stored final latents and Adam state with the cutouts of
   * steps 5..7: every step's loss and score, the image and the final state are those of one run of
   * 7 steps.
   */
  @Test
  void fourStepsThenThreeMore_isExactlyARunOfSevenSteps() {
    List<Progress> whole = new ArrayList<>();
    GenerationResult seven =
        engine.generate(request(Strategy.ADAM, 7), whole::add, new CancellationSignal());
    RunState afterFour = RunState.fromBytes(stateAfter(4).toBytes());

    List<Progress> continued = new ArrayList<>();
    GenerationResult resumed =
        engine.resume(
            request(Strategy.ADAM, 4), afterFour, 3, continued::add, new CancellationSignal());

    assertThat(continued).extracting(Progress::step).containsExactly(5, 6, 7);
    assertThat(continued).allSatisfy(p -> assertThat(p.total()).isEqualTo(7));
    assertThat(continued)
        .extracting(Progress::loss)
        .containsExactlyElementsOf(whole.subList(4, 7).stream().map(Progress::loss).toList());
    assertThat(continued)
        .extracting(Progress::clipScore)
        .containsExactlyElementsOf(whole.subList(4, 7).stream().map(Progress::clipScore).toList());
    assertThat(resumed.png()).isEqualTo(seven.png());
    assertThat(resumed.state()).isEqualTo(seven.state());
    assertThat(resumed.clipScore()).isEqualTo(seven.clipScore());
    assertThat(resumed.bestStep()).isEqualTo(seven.bestStep());
    assertThat(resumed.initialClipScore()).isEqualTo(seven.initialClipScore());
    assertThat(resumed.steps()).isEqualTo(7);
  }

  @Test
  void zeroMoreSteps_givesBackTheImageAndState() {
    GenerationResult four =
        engine.generate(request(Strategy.ADAM, 4), ProgressListener.NONE, new CancellationSignal());

    GenerationResult none =
        engine.resume(
            request(Strategy.ADAM, 4),
            four.state().orElseThrow(),
            0,
            ProgressListener.NONE,
            new CancellationSignal());

    assertThat(none.png()).isEqualTo(four.png());
    assertThat(none.state()).isEqualTo(four.state());
  }

  @Test
  void aStateThatDoesNotFit_isRefused() {
    RunState state = stateAfter(4);
    RunState wrongShape =
        new RunState(
            4,
            0,
            0,
            1,
            state.arrays().stream()
                .map(
                    a ->
                        a.name().equals("latent.0")
                            ? new RunState.Array(a.name(), new long[] {1, 3}, new float[3])
                            : a)
                .toList());

    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                engine.resume(
                    request(Strategy.ADAM, 4),
                    wrongShape,
                    2,
                    ProgressListener.NONE,
                    new CancellationSignal()))
        .withMessageContaining("latent.0 has shape");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                engine.resume(
                    request(Strategy.ADAM, 5),
                    state,
                    2,
                    ProgressListener.NONE,
                    new CancellationSignal()))
        .withMessageContaining("state is of step 4");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                engine.resume(
                    request(Strategy.SEARCH, 4),
                    state,
                    2,
                    ProgressListener.NONE,
                    new CancellationSignal()))
        .withMessageContaining("only adam runs can be continued");
  }
}
