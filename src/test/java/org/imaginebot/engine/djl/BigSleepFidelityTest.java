package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.tokenizer.ClipTokenizer;
import org.junit.jupiter.api.Test;

/**
 * The Java {@code adam} loop against Big Sleep itself: the golden file holds the per-step losses of
 * lucidrains/big-sleep's own {@code BigSleep.forward} run by
 * scripts/reference/bigsleep_reference.py on the same TorchScript files, from the same initial
 * latents, with the same cutout boxes.
 */
final class BigSleepFidelityTest {

  private static final double RELATIVE_TOLERANCE = 1e-3;

  @Test
  void adamLoop_matchesBigSleepReference_everyStep() throws IOException {
    JsonNode golden = golden();
    int steps = golden.get("steps").asInt();
    int cutouts = golden.get("cutouts").asInt();
    List<Double> losses = new ArrayList<>();
    try (DjlEngine engine = TinyModels.engine(Map.of());
        NDManager run = NDManager.newBaseManager("PyTorch")) {
      ClipModel clip = engine.clip("tiny-clip");
      BigGanGenerator generator = engine.bigGan("tiny");
      NDList embeddings = new NDList();
      List<Double> weights = new ArrayList<>();
      for (JsonNode prompt : golden.get("prompts")) {
        long[] tokens = longs(prompt.get("tokens"));
        assertThat(ClipTokenizer.load().tokenize(prompt.get("text").asText()))
            .as("our tokenizer agrees with big-sleep's for \"%s\"", prompt.get("text").asText())
            .containsExactly(tokens);
        embeddings.add(clip.encodeTokens(run, tokens));
        weights.add(prompt.get("weight").asDouble());
      }
      PromptTargets targets =
          new PromptTargets(
              embeddings, weights.stream().mapToDouble(Double::doubleValue).toArray());
      NDList latents =
          generator.latentsOf(run, floats(golden.get("initNormu")), floats(golden.get("initCls")));
      Iterator<JsonNode> boxes = golden.get("boxes").iterator();
      CutoutSource replay =
          (imageSize, count) -> {
            List<Cutout> step = new ArrayList<>();
            boxes
                .next()
                .forEach(
                    b ->
                        step.add(new Cutout(b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt())));
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
              p -> losses.add(p.loss()),
              new CancellationSignal());
    }

    assertThat(losses).hasSize(steps);
    for (int i = 0; i < steps; i++) {
      double expected = golden.get("losses").get(i).get("total").asDouble();
      assertThat(losses.get(i))
          .as("loss of step %d (Big Sleep: %s)", i + 1, expected)
          .isCloseTo(expected, within(Math.abs(expected) * RELATIVE_TOLERANCE));
    }
  }

  private static JsonNode golden() throws IOException {
    try (InputStream in =
        BigSleepFidelityTest.class.getResourceAsStream("/golden/bigsleep-tiny.json")) {
      assertThat(in).as("golden file from scripts/reference/bigsleep_reference.py").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  private static long[] longs(JsonNode array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asLong();
    }
    return values;
  }

  /** Row-major floats of a 2-D JSON array. */
  private static float[] floats(JsonNode rows) {
    List<Float> values = new ArrayList<>();
    rows.forEach(row -> row.forEach(v -> values.add((float) v.asDouble())));
    float[] result = new float[values.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = values.get(i);
    }
    return result;
  }
}
