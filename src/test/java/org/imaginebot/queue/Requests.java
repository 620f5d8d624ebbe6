package org.imaginebot.queue;

import java.util.List;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;

/** Requests for tests. */
final class Requests {

  private Requests() {}

  static GenerationRequest prompt(String text) {
    return new GenerationRequest(
        List.of(new WeightedPrompt(text, 1.0)), "biggan-deep-128", Strategy.ADAM, 100, 7);
  }
}
