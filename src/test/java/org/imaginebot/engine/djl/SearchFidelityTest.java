package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.imaginebot.engine.CancellationSignal;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.engine.GenerationResult;
import org.imaginebot.engine.tokenizer.ClipTokenizer;
import org.imaginebot.models.ModelManifest;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code search} strategy (seed 001) against scripts/reference/search_reference.py, which ranks
 * the ImageNet classes with openai/CLIP's own tokenizer and class list through "an image of
 * {label}", and scores fixed candidates rendered by the same TorchScript files: the ranking must be
 * identical, every similarity and candidate score within 1e-5, and best of N the same candidate.
 */
final class SearchFidelityTest {

  private static final Logger LOG = LoggerFactory.getLogger(SearchFidelityTest.class);

  private static final double SCORE_TOLERANCE = 1e-5;

  @Test
  void classRankingAndBestOfN_matchTheReference() throws IOException {
    JsonNode golden = Golden.load("search-tiny.json");
    EngineConfig config = TinyModels.config(Map.of());
    ModelManifest manifest = TinyModels.manifest(config);
    Golden.assertSameModels(
        golden,
        List.of("clip-image.pt", "clip-text.pt", "biggan.pt"),
        manifest.require("tiny-clip"),
        manifest.require("tiny"));
    assertThat(config.truncation())
        .as("BigGAN truncation the golden rendered with")
        .isEqualTo(golden.get("truncation").asDouble());
    int topK = golden.get("topK").asInt();
    double worstSimilarity = 0;
    double worstScore = 0;
    try (DjlEngine engine = new DjlEngine(config, manifest);
        NDManager run = NDManager.newBaseManager("PyTorch")) {
      ClipModel clip = engine.clip("tiny-clip");
      ClassSearch search = new ClassSearch(clip, engine.bigGan("tiny"), topK, Integer.MAX_VALUE);
      for (JsonNode prompt : golden.get("prompts")) {
        String text = prompt.get("text").asText();
        assertThat(ClipTokenizer.load().tokenize(text))
            .as("our tokenizer agrees with openai/CLIP's for \"%s\"", text)
            .containsExactly(Golden.longs(prompt.get("tokens")));
        PromptTargets targets =
            new PromptTargets(new NDList(clip.encodeTexts(run, List.of(text))), new double[] {1});

        int[] top = search.topClasses(targets);
        assertThat(top)
            .as("top %d classes for \"%s\"", topK, text)
            .containsExactly(ints(prompt.get("top")));
        float[] similarities = search.classScores(targets);
        for (int i = 0; i < topK; i++) {
          double expected = prompt.get("similarities").get(i).asDouble();
          worstSimilarity = Math.max(worstSimilarity, Math.abs(similarities[top[i]] - expected));
          assertThat((double) similarities[top[i]])
              .as("similarity of class %d to \"%s\"", top[i], text)
              .isCloseTo(expected, within(SCORE_TOLERANCE));
        }

        JsonNode candidates = prompt.get("candidates");
        List<Double> scores = new ArrayList<>();
        int[] drawn = {0};
        GenerationResult best =
            CandidateSearch.run(
                    run,
                    clip,
                    targets,
                    candidates.size(),
                    Integer.MAX_VALUE,
                    scratch -> {
                      JsonNode candidate = candidates.get(drawn[0]++);
                      float[] z = Golden.floats(candidate.get("z"));
                      int classIndex = candidate.get("class").asInt();
                      return new CandidateSearch.Candidate(
                          search.render(scratch, z, classIndex), owner -> new NDList());
                    },
                    p -> scores.add(p.clipScore()),
                    new CancellationSignal())
                .result();
        assertThat(scores).hasSize(candidates.size());
        for (int i = 0; i < scores.size(); i++) {
          double expected = prompt.get("scores").get(i).asDouble();
          worstScore = Math.max(worstScore, Math.abs(scores.get(i) - expected));
          assertThat(scores.get(i))
              .as("CLIP score of candidate %d for \"%s\"", i + 1, text)
              .isCloseTo(expected, within(SCORE_TOLERANCE));
        }
        assertThat(best.bestStep())
            .as("best of %d for \"%s\"", candidates.size(), text)
            .isEqualTo(prompt.get("best").asInt() + 1);
        assertThat(best.clipScore())
            .isCloseTo(prompt.get("bestScore").asDouble(), within(SCORE_TOLERANCE));
      }
    }
    LOG.info(
        "search vs golden: class similarity max |d| {}, candidate score max |d| {}",
        worstSimilarity,
        worstScore);
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }
}
