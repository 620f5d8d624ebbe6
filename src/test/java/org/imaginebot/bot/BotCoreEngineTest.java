package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imaginebot.bot.CoreFixture.ALICE;
import static org.imaginebot.bot.CoreFixture.BOB;

import java.nio.file.Path;
import java.util.List;
import org.imaginebot.app.AppConfig;
import org.imaginebot.app.BotApplication;
import org.imaginebot.engine.djl.DjlEngine;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.imaginebot.worker.LazyEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core with the real engine on the tiny models: a request becomes a PNG, and a repeat is
 * cached.
 */
final class BotCoreEngineTest {

  @TempDir Path dir;

  @Test
  void submit_realEngine_makesThePngAtTheAskedSize_thenServesTheRepeatFromCache() throws Exception {
    CoreFixture fixture = new CoreFixture(dir).set("engine.cutouts", "4");
    AppConfig config = fixture.config();
    ModelManifest manifest =
        ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
    LazyEngine engine = new LazyEngine(() -> new DjlEngine(config.engine(), manifest));
    GenerationRequest request =
        new GenerationRequest(
            List.of(new WeightedPrompt("a red apple", 1)), "tiny", Strategy.ADAM, 3, 5, 96, true);
    try (BotApplication core = fixture.start(engine)) {
      RecordingListener first = new RecordingListener();
      core.imagine().submit(ALICE, request, first);
      RecordingListener.End made = first.awaitEnd();
      RecordingListener second = new RecordingListener();

      Submission repeat = core.imagine().submit(BOB, request, second);

      assertThat(made.kind()).as(String.valueOf(made.message())).isEqualTo("finished");
      assertThat(Png.decode(made.image().png()).getWidth()).isEqualTo(96);
      assertThat(first.events).contains("step 3");
      assertThat(repeat).isInstanceOf(Submission.Cached.class);
      assertThat(second.awaitEnd().image()).isEqualTo(made.image());
    }
  }
}
