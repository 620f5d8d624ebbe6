package org.imaginebot.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.imaginebot.settings.ScopeSettings;
import org.imaginebot.settings.Setting;
import org.junit.jupiter.api.Test;

final class RequestPolicyTest {

  private static final ScopeSettings DEFAULTS =
      ScopeSettings.fromValues(
          pairs(
              "maxQueuedPerUser",
              "3",
              "requestsPerMinute",
              "6",
              "scopeRequestsPerMinute",
              "120",
              "maxSteps",
              "300",
              "maxSize",
              "256",
              "strategies",
              "*",
              "models",
              "*",
              "bannedWords",
              "gore, red panda",
              "channels",
              "*",
              "gpuConcurrency",
              "1",
              "dailyImagesPerUser",
              "0"));

  private static java.util.Map<String, String> pairs(String... keysAndValues) {
    java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static GenerationRequest request(
      String prompt, String negative, Strategy strategy, String model, int steps, int size) {
    List<WeightedPrompt> prompts =
        negative == null
            ? List.of(new WeightedPrompt(prompt, 1))
            : List.of(new WeightedPrompt(prompt, 1), new WeightedPrompt(negative, -1));
    return new GenerationRequest(prompts, model, strategy, steps, 1, size, true);
  }

  private static Optional<Refusal> check(
      ScopeSettings settings, String channel, GenerationRequest request) {
    return RequestPolicy.check(settings, channel, request);
  }

  @Test
  void check_withinEveryRule_acceptsIt() {
    assertThat(
            check(
                DEFAULTS,
                "c1",
                request("a gorgeous lighthouse", null, Strategy.ADAM, "tiny", 300, 256)))
        .isEmpty();
  }

  @Test
  void check_bannedWordInANegativePromptToo_isRefused() {
    Optional<Refusal> refusal =
        check(DEFAULTS, "c1", request("a lighthouse", "GORE", Strategy.ADAM, "tiny", 10, 0));

    assertThat(refusal)
        .get()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo(RefusalKind.BANNED_WORD);
              assertThat(r.retryable()).isFalse();
              assertThat(r.message())
                  .isEqualTo(
                      "Your prompt contains \"gore\", which is not allowed on this server. Rephrase it and try again.");
            });
  }

  @Test
  void check_eachRule_refusesWithItsKindAndWhatToDo() {
    ScopeSettings strict =
        DEFAULTS
            .with(Setting.CHANNELS, "c2")
            .with(Setting.STRATEGIES, "search")
            .with(Setting.MODELS, "tiny-stylegan");

    assertThat(check(strict, "c1", request("a cat", null, Strategy.SEARCH, "tiny-stylegan", 10, 0)))
        .get()
        .extracting(Refusal::kind)
        .isEqualTo(RefusalKind.CHANNEL_NOT_ALLOWED);
    assertThat(check(strict, "c2", request("a cat", null, Strategy.ADAM, "tiny-stylegan", 10, 0)))
        .get()
        .extracting(Refusal::message)
        .isEqualTo("The adam strategy is not allowed on this server; allowed: search.");
    assertThat(check(strict, "c2", request("a cat", null, Strategy.SEARCH, "tiny", 10, 0)))
        .get()
        .extracting(Refusal::message)
        .isEqualTo("The model tiny is not allowed on this server; allowed: tiny-stylegan.");
    assertThat(check(DEFAULTS, "c1", request("a cat", null, Strategy.ADAM, "tiny", 301, 0)))
        .get()
        .extracting(Refusal::kind)
        .isEqualTo(RefusalKind.TOO_MANY_STEPS);
    assertThat(check(DEFAULTS, "c1", request("a cat", null, Strategy.ADAM, "tiny", 10, 512)))
        .get()
        .extracting(Refusal::message)
        .isEqualTo(
            "This server allows images up to 256 pixels; you asked for 512. Ask for 256 or less.");
    assertThat(check(strict, null, request("a cat", null, Strategy.SEARCH, "tiny-stylegan", 10, 0)))
        .as("no channel (the CLI) is not checked against channels")
        .isEmpty();
  }
}
