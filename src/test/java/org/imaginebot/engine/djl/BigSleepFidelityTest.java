package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.tokenizer.ClipTokenizer;
import org.imaginebot.models.ModelManifest;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java {@code adam} loop against Big Sleep itself: the golden file holds the per-step loss
 * terms of lucidrains/big-sleep's own {@code BigSleep.forward} run by
 * scripts/reference/bigsleep_reference.py on the same TorchScript files, from the same initial
 * latents, with the same cutout boxes. Every term (lat, cls, sim, total) of every step must agree
 * within {@link Golden#tolerance}.
 */
final class BigSleepFidelityTest {

  private static final Logger LOG = LoggerFactory.getLogger(BigSleepFidelityTest.class);

  private static final List<String> MODEL_FILES =
      List.of("clip-image.pt", "clip-text.pt", "biggan.pt");

  @Test
  void adamLoop_matchesBigSleepReference_everyComponentOfEveryStep() throws IOException {
    JsonNode golden = Golden.load("bigsleep-tiny.json");
    EngineConfig config = TinyModels.config(Map.of());
    ModelManifest manifest = TinyModels.manifest(config);
    Golden.assertSameModels(
        golden, MODEL_FILES, manifest.require("tiny-clip"), manifest.require("tiny"));
    int steps = golden.get("steps").asInt();
    int cutouts = golden.get("cutouts").asInt();
    List<double[]> regularizers = new ArrayList<>(); // {lat, cls} before each step's update
    List<Double> totals = new ArrayList<>();
    List<Double> sims = new ArrayList<>();
    try (DjlEngine engine = new DjlEngine(config, manifest);
        NDManager run = NDManager.newBaseManager("PyTorch")) {
      ClipModel clip = engine.clip("tiny-clip");
      BigGanGenerator generator = engine.bigGan("tiny");
      NDList embeddings = new NDList();
      List<Double> weights = new ArrayList<>();
      for (JsonNode prompt : golden.get("prompts")) {
        long[] tokens = Golden.longs(prompt.get("tokens"));
        assertThat(ClipTokenizer.load().tokenize(prompt.get("text").asText()))
            .as("our tokenizer agrees with big-sleep's for \"%s\"", prompt.get("text").asText())
            .containsExactly(tokens);
        embeddings.add(clip.encodeTokens(run, tokens));
        weights.add(prompt.get("weight").asDouble());
      }
      double[] weightArray = weights.stream().mapToDouble(Double::doubleValue).toArray();
      double positiveWeight = weights.stream().mapToDouble(w -> Math.max(0, w)).sum();
      PromptTargets targets = new PromptTargets(embeddings, weightArray);
      NDList latents =
          generator.latentsOf(
              run, Golden.floats(golden.get("initNormu")), Golden.floats(golden.get("initCls")));
      Iterator<JsonNode> boxes = golden.get("boxes").iterator();
      // Called at the start of each step, while the latents still hold that step's values.
      CutoutSource replay =
          (imageSize, count) -> {
            regularizers.add(regularizerTerms(run, latents));
            List<Cutout> step = Golden.cutouts(boxes.next());
            assertThat(step).hasSize(count);
            return step;
          };
      new BigSleepOptimizer(
              clip,
              generator,
              new BigSleepOptimizer.Settings(cutouts, golden.get("lr").asDouble(), steps + 1))
          .run(
              run,
              targets,
              latents,
              replay,
              steps,
              p -> {
                totals.add(p.loss());
                // The user-facing score is sum(w·cos) / positive weights; Big Sleep's sim term is
                // -100 · sum(w·cos).
                sims.add(-PromptTargets.LOSS_COEFFICIENT * p.clipScore() * positiveWeight);
              },
              new CancellationSignal());
    }

    assertThat(totals).hasSize(steps);
    assertThat(regularizers).hasSize(steps);
    Golden.Deviations deviations = new Golden.Deviations();
    for (int i = 0; i < steps; i++) {
      JsonNode expected = golden.get("losses").get(i);
      double[] actual = {
        regularizers.get(i)[0], regularizers.get(i)[1], sims.get(i), totals.get(i)
      };
      String[] components = {"lat", "cls", "sim", "total"};
      for (int c = 0; c < components.length; c++) {
        deviations.check(
            components[c],
            actual[c],
            expected.get(components[c]).asDouble(),
            "%s of step %d",
            components[c],
            i + 1);
      }
    }
    LOG.info("big sleep vs golden over {} steps: {}", steps, deviations);
  }

  /** Big Sleep's lat and cls terms of the current latents, computed by the generator's own code. */
  private static double[] regularizerTerms(NDManager run, NDList latents) {
    try (NDManager scratch = run.newSubManager()) {
      NDArray z = latents.get(0).duplicate();
      NDArray logits = latents.get(1).duplicate();
      z.attach(scratch);
      logits.attach(scratch);
      return new double[] {
        BigGanGenerator.latentLoss(z).getFloat(),
        BigGanGenerator.classLoss(Activation.sigmoid(logits)).getFloat()
      };
    }
  }
}
